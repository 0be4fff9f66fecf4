CREATE TABLE `platform_sign_in` (
	`id` text PRIMARY KEY,
	`sealed_cache` text NOT NULL,
	`updated_at` integer NOT NULL
);
