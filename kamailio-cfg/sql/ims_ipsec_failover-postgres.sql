-- ims_ipsec_failover_scscf: sealed IPsec SA records kept by the S-CSCF,
-- one row per ims_usrloc_scscf contact (PostgreSQL).
-- The record column holds the sealed (AES-256-GCM) record as received;
-- the other columns are copies of its clear header for indexing. No key
-- material is ever written here.
-- Create with: psql -U kamailio -d kamailio -f this file
-- SPDX-License-Identifier: GPL-2.0-or-later
CREATE TABLE IF NOT EXISTS ims_ipsec_failover (
    contact VARCHAR(255) NOT NULL PRIMARY KEY,
    aor VARCHAR(255) NOT NULL DEFAULT '',
    node VARCHAR(32) NOT NULL,
    keyid VARCHAR(16) NOT NULL DEFAULT '',
    generation BIGINT NOT NULL,
    expires BIGINT NOT NULL,
    record VARCHAR(1600) NOT NULL
);
CREATE INDEX IF NOT EXISTS ims_ipsec_failover_node_idx
    ON ims_ipsec_failover (node);
