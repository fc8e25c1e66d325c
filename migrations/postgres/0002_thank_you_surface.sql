ALTER TABLE "acceptances" ADD COLUMN "surface" text DEFAULT 'post_purchase' NOT NULL;--> statement-breakpoint
ALTER TABLE "acceptances" ADD COLUMN "answer" text;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "surface" text DEFAULT 'post_purchase' NOT NULL;