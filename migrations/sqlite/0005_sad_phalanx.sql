CREATE TABLE `analytics_checkout_rules` (
	`reference_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`shop` text NOT NULL,
	`arm` text NOT NULL,
	`holdout` integer NOT NULL,
	`currency` text NOT NULL,
	`customer_id` text,
	`created_at` integer NOT NULL,
	`offered` integer NOT NULL,
	`viewed` integer NOT NULL,
	`accepted` integer NOT NULL,
	`declined` integer NOT NULL,
	`applied` integer NOT NULL,
	`confirmed` integer NOT NULL,
	`revenue` real NOT NULL,
	`revenue_confirmed` real NOT NULL,
	PRIMARY KEY(`reference_id`, `rule_id`)
);
--> statement-breakpoint
CREATE INDEX `analytics_checkout_rules_created_idx` ON `analytics_checkout_rules` (`created_at`);--> statement-breakpoint
CREATE INDEX `analytics_checkout_rules_shop_idx` ON `analytics_checkout_rules` (`shop`,`created_at`);--> statement-breakpoint
CREATE INDEX `analytics_checkout_rules_customer_idx` ON `analytics_checkout_rules` (`shop`,`customer_id`);--> statement-breakpoint
CREATE TABLE `analytics_daily` (
	`shop` text NOT NULL,
	`rule_id` text NOT NULL,
	`arm` text NOT NULL,
	`currency` text NOT NULL,
	`day` integer NOT NULL,
	`holdout` integer NOT NULL,
	`checkouts` integer NOT NULL,
	`offers` integer NOT NULL,
	`views` integer NOT NULL,
	`accepts` integer NOT NULL,
	`declines` integer NOT NULL,
	`applied` integer NOT NULL,
	`confirmed` integer NOT NULL,
	`revenue` real NOT NULL,
	`revenue_sq` real NOT NULL,
	`revenue_confirmed` real NOT NULL,
	PRIMARY KEY(`shop`, `rule_id`, `arm`, `currency`, `day`)
);
--> statement-breakpoint
CREATE INDEX `analytics_daily_day_idx` ON `analytics_daily` (`day`);--> statement-breakpoint
CREATE INDEX `analytics_daily_shop_day_idx` ON `analytics_daily` (`shop`,`day`);--> statement-breakpoint
CREATE TABLE `analytics_hourly` (
	`shop` text NOT NULL,
	`rule_id` text NOT NULL,
	`arm` text NOT NULL,
	`currency` text NOT NULL,
	`hour` integer NOT NULL,
	`holdout` integer NOT NULL,
	`checkouts` integer NOT NULL,
	`offers` integer NOT NULL,
	`views` integer NOT NULL,
	`accepts` integer NOT NULL,
	`declines` integer NOT NULL,
	`applied` integer NOT NULL,
	`confirmed` integer NOT NULL,
	`revenue` real NOT NULL,
	`revenue_sq` real NOT NULL,
	`revenue_confirmed` real NOT NULL,
	PRIMARY KEY(`shop`, `rule_id`, `arm`, `currency`, `hour`)
);
--> statement-breakpoint
CREATE INDEX `analytics_hourly_hour_idx` ON `analytics_hourly` (`hour`);--> statement-breakpoint
CREATE INDEX `analytics_hourly_shop_hour_idx` ON `analytics_hourly` (`shop`,`hour`);--> statement-breakpoint
CREATE TABLE `analytics_offers` (
	`offer_id` text PRIMARY KEY NOT NULL,
	`reference_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`shop` text NOT NULL,
	`currency` text NOT NULL,
	`variant_id` integer,
	`quantity` integer,
	`accepted_at` integer,
	`reported` real,
	`line_amount` real,
	`confirmed` real,
	`order_id` text,
	`line_id` text
);
--> statement-breakpoint
CREATE INDEX `analytics_offers_reference_idx` ON `analytics_offers` (`reference_id`);--> statement-breakpoint
CREATE TABLE `analytics_orders` (
	`shop` text NOT NULL,
	`order_id` text NOT NULL,
	`reference_id` text,
	`customer_id` text,
	`currency` text NOT NULL,
	`total` real NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `order_id`)
);
--> statement-breakpoint
CREATE INDEX `analytics_orders_reference_idx` ON `analytics_orders` (`shop`,`reference_id`);--> statement-breakpoint
CREATE INDEX `analytics_orders_customer_idx` ON `analytics_orders` (`shop`,`customer_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `analytics_refund_lines` (
	`shop` text NOT NULL,
	`refund_line_id` text NOT NULL,
	`order_id` text NOT NULL,
	`line_id` text NOT NULL,
	`amount` real NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `refund_line_id`)
);
--> statement-breakpoint
CREATE TABLE `analytics_skipped` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`webhook_id` text NOT NULL,
	`topic` text NOT NULL,
	`order_id` text,
	`reason` text NOT NULL,
	`detail` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `analytics_skipped_shop_idx` ON `analytics_skipped` (`shop`,`created_at`);--> statement-breakpoint
CREATE TABLE `analytics_watermarks` (
	`source` text PRIMARY KEY NOT NULL,
	`last_id` integer NOT NULL
);
