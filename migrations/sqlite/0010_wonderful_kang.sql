ALTER TABLE `analytics_checkout_rules` ADD `follow_orders` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `analytics_checkout_rules` ADD `follow_revenue` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `analytics_daily` ADD `follow_customers` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `analytics_daily` ADD `follow_orders` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `analytics_daily` ADD `follow_revenue` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `analytics_daily` ADD `follow_revenue_sq` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `analytics_hourly` ADD `follow_customers` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `analytics_hourly` ADD `follow_orders` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `analytics_hourly` ADD `follow_revenue` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `analytics_hourly` ADD `follow_revenue_sq` real DEFAULT 0 NOT NULL;