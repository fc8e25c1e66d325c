CREATE TABLE `acceptances` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`offer_id` text NOT NULL,
	`reference_id` text NOT NULL,
	`shop_domain` text NOT NULL,
	`customer_id` text,
	`rule_id` text NOT NULL,
	`arm` text,
	`variant_id` integer NOT NULL,
	`quantity` integer NOT NULL,
	`changes` text NOT NULL,
	`jti` text NOT NULL,
	`token` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `acceptances_offer_idx` ON `acceptances` (`offer_id`);--> statement-breakpoint
CREATE INDEX `acceptances_reference_idx` ON `acceptances` (`reference_id`);--> statement-breakpoint
CREATE INDEX `acceptances_shop_idx` ON `acceptances` (`shop_domain`,`customer_id`);--> statement-breakpoint
CREATE TABLE `decisions` (
	`id` text PRIMARY KEY NOT NULL,
	`reference_id` text NOT NULL,
	`shop_domain` text NOT NULL,
	`customer_id` text,
	`rule_id` text,
	`arm` text,
	`holdout` integer NOT NULL,
	`skipped` text,
	`ruleset_hash` text NOT NULL,
	`facts` text NOT NULL,
	`evaluated_at` text NOT NULL,
	`offer` text,
	`signable_until` integer,
	`after_offer_id` text,
	`after_outcome` text,
	`answer` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `decisions_reference_idx` ON `decisions` (`reference_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `decisions_shop_idx` ON `decisions` (`shop_domain`);--> statement-breakpoint
CREATE INDEX `decisions_customer_idx` ON `decisions` (`shop_domain`,`customer_id`);--> statement-breakpoint
CREATE INDEX `decisions_created_idx` ON `decisions` (`created_at`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`offer_id` text NOT NULL,
	`reference_id` text NOT NULL,
	`shop_domain` text NOT NULL,
	`customer_id` text,
	`rule_id` text,
	`arm` text,
	`type` text NOT NULL,
	`status` text,
	`errors` text,
	`amount` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_offer_idx` ON `events` (`offer_id`,`type`);--> statement-breakpoint
CREATE INDEX `events_shop_idx` ON `events` (`shop_domain`,`customer_id`);--> statement-breakpoint
CREATE INDEX `events_created_idx` ON `events` (`created_at`);--> statement-breakpoint
CREATE TABLE `rulesets` (
	`hash` text PRIMARY KEY NOT NULL,
	`files` text NOT NULL,
	`count` integer NOT NULL,
	`first_served_at` integer NOT NULL
);
