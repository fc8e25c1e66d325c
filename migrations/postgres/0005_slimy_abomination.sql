ALTER TABLE "analytics_checkout_rules" ADD COLUMN "follow_orders" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_checkout_rules" ADD COLUMN "follow_revenue" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_daily" ADD COLUMN "follow_customers" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_daily" ADD COLUMN "follow_orders" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_daily" ADD COLUMN "follow_revenue" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_daily" ADD COLUMN "follow_revenue_sq" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_hourly" ADD COLUMN "follow_customers" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_hourly" ADD COLUMN "follow_orders" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_hourly" ADD COLUMN "follow_revenue" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_hourly" ADD COLUMN "follow_revenue_sq" double precision DEFAULT 0 NOT NULL;