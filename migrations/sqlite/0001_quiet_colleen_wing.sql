CREATE TABLE `shopify_data_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`webhook_id` text NOT NULL,
	`shop` text NOT NULL,
	`customer_id` text NOT NULL,
	`request_id` text,
	`report` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `shopify_data_requests_shop_idx` ON `shopify_data_requests` (`shop`,`customer_id`);--> statement-breakpoint
CREATE TABLE `shopify_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`shop` text NOT NULL,
	`state` text NOT NULL,
	`is_online` integer NOT NULL,
	`scope` text,
	`expires` integer,
	`access_token` text,
	`refresh_token` text,
	`refresh_token_expires` integer,
	`online_access_info` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `shopify_sessions_shop_idx` ON `shopify_sessions` (`shop`);--> statement-breakpoint
CREATE TABLE `shopify_shops` (
	`domain` text PRIMARY KEY NOT NULL,
	`scopes` text,
	`installed_at` integer,
	`uninstalled_at` integer,
	`redacted_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `shopify_webhook_deliveries` (
	`webhook_id` text PRIMARY KEY NOT NULL,
	`topic` text NOT NULL,
	`shop` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `shopify_webhook_deliveries_shop_idx` ON `shopify_webhook_deliveries` (`shop`);