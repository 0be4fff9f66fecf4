CREATE TABLE `sim_bindings` (
	`hostname` text PRIMARY KEY,
	`subdomain` text NOT NULL,
	`certificate_thumbprint` text NOT NULL,
	`operation_id` text NOT NULL
);
