CREATE TABLE "secret_key_check" (
	"id" integer PRIMARY KEY,
	"fingerprint" text NOT NULL,
	"created_at" bigint DEFAULT ((extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL
);
