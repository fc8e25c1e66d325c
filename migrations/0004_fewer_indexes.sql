DROP INDEX `checkout_facts_created_idx`;--> statement-breakpoint
DROP INDEX `decisions_shop_idx`;