-- The payment service's system of record. Portable SQL: runs on the embedded H2 database and on
-- PostgreSQL (the production profile). Amounts are exact decimals, never floating point.

CREATE TABLE account (
    id           VARCHAR(40)    NOT NULL PRIMARY KEY,
    holder       VARCHAR(100)   NOT NULL,
    currency     CHAR(3)        NOT NULL,
    balance      NUMERIC(19, 4) NOT NULL,
    card_status  VARCHAR(10)    NOT NULL,
    -- The last line of defence of a debit: a balance never goes below zero, whatever the code does.
    CONSTRAINT account_balance_not_negative CHECK (balance >= 0),
    CONSTRAINT account_card_status_known CHECK (card_status IN ('ACTIVE', 'BLOCKED'))
);

CREATE TABLE merchant (
    id                  VARCHAR(40)    NOT NULL PRIMARY KEY,
    name                VARCHAR(100)   NOT NULL,
    currency            CHAR(3)        NOT NULL,
    -- Largest single payment the merchant may take, in the merchant's currency.
    max_payment_amount  NUMERIC(19, 4) NOT NULL,
    CONSTRAINT merchant_limit_positive CHECK (max_payment_amount > 0)
);

-- One row per ordered pair: 1 unit of base_currency buys rate units of quote_currency.
CREATE TABLE fx_rate (
    base_currency   CHAR(3)        NOT NULL,
    quote_currency  CHAR(3)        NOT NULL,
    rate            NUMERIC(19, 8) NOT NULL,
    CONSTRAINT fx_rate_pk PRIMARY KEY (base_currency, quote_currency),
    CONSTRAINT fx_rate_positive CHECK (rate > 0)
);

-- Every authorization, approved or declined. The unique idempotency key is what makes a retried or
-- duplicated request return the first result: it lives here, in the same transaction as the debit,
-- never only in a cache.
CREATE TABLE payment (
    id                VARCHAR(40)    NOT NULL PRIMARY KEY,
    idempotency_key   VARCHAR(100)   NOT NULL,
    account_id        VARCHAR(40)    NOT NULL,
    merchant_id       VARCHAR(40)    NOT NULL,
    amount            NUMERIC(19, 4) NOT NULL,
    currency          CHAR(3)        NOT NULL,
    -- What was (or would have been) debited, in the account's currency; null if no FX rate existed.
    account_amount    NUMERIC(19, 4),
    account_currency  CHAR(3)        NOT NULL,
    fx_rate           NUMERIC(19, 8),
    status            VARCHAR(10)    NOT NULL,
    decline_reason    VARCHAR(40),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT payment_idempotency_key_unique UNIQUE (idempotency_key),
    CONSTRAINT payment_account_fk FOREIGN KEY (account_id) REFERENCES account (id),
    CONSTRAINT payment_merchant_fk FOREIGN KEY (merchant_id) REFERENCES merchant (id),
    CONSTRAINT payment_status_known CHECK (status IN ('APPROVED', 'DECLINED'))
);

CREATE INDEX payment_account_created ON payment (account_id, created_at);
