CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`name` text NOT NULL,
	`token_hash` text NOT NULL UNIQUE,
	`scopes` text NOT NULL,
	`user_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE TABLE `certificates` (
	`id` text PRIMARY KEY,
	`name` text NOT NULL,
	`subject` text NOT NULL,
	`common_name` text,
	`sans` text NOT NULL,
	`issuer` text NOT NULL,
	`not_before` integer NOT NULL,
	`not_after` integer NOT NULL,
	`signature_algorithm` text NOT NULL,
	`key_type` text NOT NULL,
	`key_bits` integer NOT NULL,
	`thumbprint` text NOT NULL UNIQUE,
	`certificate_pem` text NOT NULL,
	`private_key_encrypted` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `custom_domains` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`portal_id` integer NOT NULL UNIQUE,
	`hostname_id` integer NOT NULL UNIQUE,
	`certificate_id` text NOT NULL,
	`status` text NOT NULL,
	`cname_target` text NOT NULL,
	`checks` integer DEFAULT 0 NOT NULL,
	`last_check_at` integer,
	`last_check_state` text,
	`last_check_reason` text,
	`points_to` text,
	`next_check_at` integer,
	`lease_owner` text,
	`lease_until` integer,
	`bind_operation_id` text,
	`last_error` text,
	`configured_at` integer,
	`reminders_sent` text DEFAULT '[]' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT `fk_custom_domains_portal_id_portals_id_fk` FOREIGN KEY (`portal_id`) REFERENCES `portals`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_custom_domains_hostname_id_hostnames_id_fk` FOREIGN KEY (`hostname_id`) REFERENCES `hostnames`(`id`),
	CONSTRAINT `fk_custom_domains_certificate_id_certificates_id_fk` FOREIGN KEY (`certificate_id`) REFERENCES `certificates`(`id`)
);
--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`portal_id` integer,
	`type` text NOT NULL,
	`message` text NOT NULL,
	`data` text DEFAULT '{}' NOT NULL,
	`actor` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT `fk_events_portal_id_portals_id_fk` FOREIGN KEY (`portal_id`) REFERENCES `portals`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `hostnames` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`name` text NOT NULL UNIQUE,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `portal_add_ons` (
	`portal_id` integer NOT NULL,
	`add_on` text NOT NULL,
	CONSTRAINT `portal_add_ons_pk` PRIMARY KEY(`portal_id`, `add_on`),
	CONSTRAINT `fk_portal_add_ons_portal_id_portals_id_fk` FOREIGN KEY (`portal_id`) REFERENCES `portals`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `portals` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`name` text NOT NULL,
	`subdomain` text NOT NULL,
	`type` text NOT NULL,
	`license_id` text NOT NULL,
	`instance_id` text NOT NULL,
	`language` text NOT NULL,
	`administrator_id` text NOT NULL,
	`audience` text NOT NULL,
	`portal_type` text NOT NULL,
	`status` text NOT NULL,
	`resource_status` text,
	`package_status` text,
	`requested_by` text NOT NULL,
	`notify_channel` text,
	`terms_version` text,
	`terms_accepted_at` integer,
	`terms_accepted_by` text,
	`consent_granted_at` integer,
	`attempt` integer DEFAULT 0 NOT NULL,
	`resources_operation_id` text,
	`package_operation_id` text,
	`last_error` text,
	`provisioned_at` integer,
	`lease_owner` text,
	`lease_until` integer,
	`next_poll_at` integer,
	`poll_failures` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "portals_subdomain_lower" CHECK("subdomain" = lower("subdomain"))
);
--> statement-breakpoint
CREATE TABLE `slack_deliveries` (
	`event_id` integer PRIMARY KEY,
	`portal_id` integer,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`lease_owner` text,
	`lease_until` integer,
	`last_error` text,
	`delivered_at` integer,
	CONSTRAINT `fk_slack_deliveries_event_id_events_id_fk` FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `slack_posts` (
	`portal_id` integer PRIMARY KEY,
	`channel` text NOT NULL,
	`status_ts` text NOT NULL,
	`stale` integer DEFAULT false NOT NULL,
	CONSTRAINT `fk_slack_posts_portal_id_portals_id_fk` FOREIGN KEY (`portal_id`) REFERENCES `portals`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `sim_faults` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`subdomain` text NOT NULL,
	`operation` text NOT NULL,
	`mode` text NOT NULL,
	`times` integer DEFAULT 1 NOT NULL,
	`used` integer DEFAULT 0 NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE TABLE `sim_instances` (
	`id` text PRIMARY KEY,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`base_language` text NOT NULL,
	`languages` text NOT NULL,
	`solutions` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sim_licenses` (
	`id` text PRIMARY KEY,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`quantity` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sim_operations` (
	`id` text PRIMARY KEY,
	`key` text NOT NULL UNIQUE,
	`kind` text NOT NULL,
	`subdomain` text NOT NULL,
	`instance_id` text NOT NULL,
	`spec` text NOT NULL,
	`started_at` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`outcome` text NOT NULL,
	`error` text,
	`applied` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sim_roles` (
	`instance_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	CONSTRAINT `sim_roles_pk` PRIMARY KEY(`instance_id`, `user_id`, `role`),
	CONSTRAINT `fk_sim_roles_instance_id_sim_instances_id_fk` FOREIGN KEY (`instance_id`) REFERENCES `sim_instances`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_sim_roles_user_id_sim_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `sim_users`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `sim_sites` (
	`subdomain` text PRIMARY KEY,
	`instance_id` text,
	`operation_id` text
);
--> statement-breakpoint
CREATE TABLE `sim_users` (
	`id` text PRIMARY KEY,
	`email` text NOT NULL UNIQUE,
	`display_name` text NOT NULL,
	`global_administrator` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `custom_domains_due_idx` ON `custom_domains` (`status`,`next_check_at`);--> statement-breakpoint
CREATE INDEX `events_portal_idx` ON `events` (`portal_id`,`id`);--> statement-breakpoint
CREATE INDEX `portals_poll_idx` ON `portals` (`status`,`next_poll_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `portals_subdomain_unique` ON `portals` (lower("subdomain"));--> statement-breakpoint
CREATE INDEX `portals_status_idx` ON `portals` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `portals_instance_idx` ON `portals` (`instance_id`,`id`);--> statement-breakpoint
CREATE INDEX `portals_license_idx` ON `portals` (`license_id`,`status`);--> statement-breakpoint
CREATE INDEX `slack_deliveries_state_idx` ON `slack_deliveries` (`state`,`next_attempt_at`);