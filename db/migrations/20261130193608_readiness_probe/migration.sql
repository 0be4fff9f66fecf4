CREATE TABLE `readiness_probe` (
	`id` integer PRIMARY KEY,
	`checked_at` integer NOT NULL
);
