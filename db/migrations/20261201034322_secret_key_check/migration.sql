CREATE TABLE `secret_key_check` (
	`id` integer PRIMARY KEY,
	`fingerprint` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
