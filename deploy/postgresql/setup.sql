-- Run once as the PostgreSQL superuser:  psql -v password="'...'" -f deploy/postgresql/setup.sql
-- Camunda creates its tables on first start (database.schema-update) and Flyway the ledger's.
create role orchestrator login password :password;
create database orchestrator owner orchestrator encoding 'UTF8';
