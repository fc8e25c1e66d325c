CREATE TABLE `checkout_facts` (
	`reference_id` text PRIMARY KEY NOT NULL,
	`facts` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `decisions_shop_idx`;--> statement-breakpoint
CREATE INDEX `decisions_legacy_facts_idx` ON `decisions` (`created_at`) WHERE "decisions"."facts" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `checkouts` DROP COLUMN `facts`;