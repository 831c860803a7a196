-- One database per service (each service owns its data); run by the postgres image on an empty volume.
-- Same names as tools/infra creates locally; deploy/compose.spec.ts keeps them in step.
CREATE DATABASE omni_gateway;
CREATE DATABASE omni_catalog;
CREATE DATABASE omni_inventory;
CREATE DATABASE omni_order;
CREATE DATABASE omni_pricing;
CREATE DATABASE omni_member;
CREATE DATABASE omni_o2o_connector;
