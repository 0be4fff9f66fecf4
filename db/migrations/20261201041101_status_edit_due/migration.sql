ALTER TABLE `slack_posts` ADD `edit_due_at` integer;--> statement-breakpoint
CREATE INDEX `slack_posts_edit_due_idx` ON `slack_posts` (`edit_due_at`);--> statement-breakpoint
-- A status message whose last edit failed is due for an edit at once.
UPDATE `slack_posts` SET `edit_due_at` = 0 WHERE `stale` = 1;--> statement-breakpoint
ALTER TABLE `slack_posts` DROP COLUMN `stale`;