ALTER TABLE `acceptances` ADD `surface` text DEFAULT 'post_purchase' NOT NULL;--> statement-breakpoint
ALTER TABLE `acceptances` ADD `answer` text;--> statement-breakpoint
ALTER TABLE `decisions` ADD `surface` text DEFAULT 'post_purchase' NOT NULL;