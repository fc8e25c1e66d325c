PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_decisions` (
	`id` text PRIMARY KEY NOT NULL,
	`reference_id` text NOT NULL,
	`shop_domain` text NOT NULL,
	`customer_id` text,
	`step` text,
	`rule_id` text,
	`arm` text,
	`holdout` integer NOT NULL,
	`skipped` text,
	`ruleset_hash` text NOT NULL,
	`context` text,
	`facts` text,
	`offer` text,
	`signable_until` integer,
	`after_offer_id` text,
	`after_outcome` text,
	`answer` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_decisions`("id", "reference_id", "shop_domain", "customer_id", "step", "rule_id", "arm", "holdout", "skipped", "ruleset_hash", "context", "facts", "offer", "signable_until", "after_offer_id", "after_outcome", "answer", "created_at") SELECT "id", "reference_id", "shop_domain", "customer_id", "step", "rule_id", "arm", "holdout", "skipped", "ruleset_hash", "context", "facts", "offer", "signable_until", "after_offer_id", "after_outcome", "answer", "created_at" FROM `decisions`;--> statement-breakpoint
DROP TABLE `decisions`;--> statement-breakpoint
ALTER TABLE `__new_decisions` RENAME TO `decisions`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `decisions_step_idx` ON `decisions` (`reference_id`,`step`);--> statement-breakpoint
CREATE INDEX `decisions_shop_idx` ON `decisions` (`shop_domain`);--> statement-breakpoint
CREATE INDEX `decisions_customer_idx` ON `decisions` (`shop_domain`,`customer_id`);--> statement-breakpoint
CREATE INDEX `decisions_created_idx` ON `decisions` (`created_at`);