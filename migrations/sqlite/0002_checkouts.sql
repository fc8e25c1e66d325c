CREATE TABLE `checkouts` (
	`reference_id` text PRIMARY KEY NOT NULL,
	`shop_domain` text NOT NULL,
	`customer_id` text,
	`currency` text,
	`facts` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `checkouts_created_idx` ON `checkouts` (`created_at`);--> statement-breakpoint
CREATE INDEX `checkouts_customer_idx` ON `checkouts` (`shop_domain`,`customer_id`);--> statement-breakpoint
ALTER TABLE `decisions` ADD `step` text;--> statement-breakpoint
ALTER TABLE `decisions` ADD `context` text;