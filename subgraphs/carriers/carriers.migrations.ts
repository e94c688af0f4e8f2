import type { Migration } from '../shared/migrate';

export const carriersMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'carrier catalog',
    sql: `
      -- The catalog adapters refresh: upserted, never deleted, so old cases keep their products.
      CREATE TABLE carriers.carrier (
        id text PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        naic_code text NOT NULL,
        am_best_rating text NOT NULL,
        age_basis text NOT NULL CHECK (age_basis IN ('NEAREST', 'LAST')),
        protocol text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE carriers.product (
        id text PRIMARY KEY,
        carrier_id text NOT NULL REFERENCES carriers.carrier (id),
        code text NOT NULL,
        name text NOT NULL,
        type text NOT NULL,
        terms jsonb NOT NULL DEFAULT '[]',
        min_issue_age integer NOT NULL,
        max_issue_age integer NOT NULL,
        min_face_amount integer NOT NULL,
        max_face_amount integer NOT NULL,
        health_classes text[] NOT NULL,
        available_states text[] NOT NULL,
        fully_underwritten boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (carrier_id, code)
      );
      CREATE INDEX product_carrier_idx ON carriers.product (carrier_id);
    `,
  },
  {
    version: 2,
    name: 'carrier underwriting',
    sql: `
      -- Each carrier's underwriting data, kept like its rates: the requirements grid by issue age and
      -- face amount, the accelerated (no exam) program, and the field-underwriting guidelines. A
      -- carrier without a row has no grid: its quotes list no requirements and are not accelerated.
      CREATE TABLE carriers.carrier_underwriting (
        carrier_id text PRIMARY KEY REFERENCES carriers.carrier (id),
        requirement_grid jsonb NOT NULL,
        accelerated_rules jsonb NOT NULL,
        guidelines jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 3,
    name: 'permanent product options',
    sql: `
      -- What a permanent product offers, as the carrier publishes it: NULL = not stated in the catalog
      -- (eligibility lets the request through and the carrier answers). The catalog refresh leaves
      -- these columns as the seed or an operator wrote them.
      ALTER TABLE carriers.product
        ADD COLUMN guarantee_ages integer[],
        ADD COLUMN pay_periods text[],
        ADD COLUMN final_expense_plans text[],
        ADD COLUMN riders jsonb;
    `,
  },
  {
    version: 4,
    name: 'carrier application rules',
    sql: `
      -- Each carrier's application rules, kept like its rates: the fields it requires, the financial
      -- justification bands, the forms catalog by state and product, the medical and lifestyle
      -- questions with their follow-ups, the submission window. The cases subgraph checks every
      -- application against them (good order). A carrier without a row takes no e-applications.
      CREATE TABLE carriers.carrier_application_rules (
        carrier_id text PRIMARY KEY REFERENCES carriers.carrier (id),
        rules jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];
