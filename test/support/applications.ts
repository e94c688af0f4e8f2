/**
 * E-applications through the gateway, for the tests that need one: an agent who can write a TERM
 * product at a carrier of a protocol, and the updates that fill an application in completely.
 */
import type pg from 'pg';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { graphql } from './graphql';

export const APPLICATION_FIELDS = `id status inGoodOrder state missing { path code message }
  insured { firstName lastName birthDate ssn driversLicense { number state } }
  owner { kind } beneficiaries { designation fullName sharePercent ssn }
  forms { code formNumber stateForm attached } questions { code followUps { code } }
  coverage { faceAmount termYears healthClass paymentMode paymentMethod carrier { id } product { id } }
  bankAccount { routingNumber accountNumber } personalDataInFull`;

export const START = `mutation($input: StartApplicationInput!) { startApplication(input: $input) { ${APPLICATION_FIELDS} } }`;
export const UPDATE = `mutation($id: ID!, $patch: ApplicationPatch!) { updateApplication(id: $id, patch: $patch) { ${APPLICATION_FIELDS} } }`;
export const READ = `query($id: ID!) { application(id: $id) { ${APPLICATION_FIELDS} answers { code yes details { code answer } } } }`;

export interface WritingAgent {
  agentId: string;
  carrierId: string;
  carrierCode: string;
  productId: string;
  state: string;
}

/** An active, licensed, appointed agent and a TERM product of a carrier of this protocol sold in the agent's appointed state. */
export async function writingAgent(pool: pg.Pool, protocol: string, offset = 0): Promise<WritingAgent> {
  const carrierIds = CARRIERS.filter((c) => c.protocol === protocol).map((c) => c.id);
  const { rows } = await pool.query(
    `SELECT a.id AS "agentId", p.carrier_id AS "carrierId", p.state, pr.id AS "productId"
       FROM agents.agent a
       JOIN agents.appointment p ON p.agent_id = a.id AND p.status = 'ACTIVE' AND p.carrier_id = ANY($1)
       JOIN agents.license l ON l.agent_id = a.id AND l.state = p.state AND l.resident = (l.state = a.resident_state)
            AND 'LIFE' = ANY(l.lines_of_authority) AND l.expires_on >= current_date AND l.effective_on <= current_date AND NOT l.revoked
       -- Room above $500,000: the tests raise the face amount after submission.
       JOIN carriers.product pr ON pr.carrier_id = p.carrier_id AND pr.type = 'TERM' AND p.state = ANY(pr.available_states)
            AND pr.min_face_amount <= 500000 AND pr.max_face_amount >= 1000000 AND 'PREFERRED' = ANY(pr.health_classes)
            AND pr.terms::text LIKE '%"years": 20%'
      WHERE a.status = 'ACTIVE' AND a.eo_expires_on >= current_date
      -- Agents with an upline first: the tests look at what the upline sees.
      ORDER BY (a.upline_id IS NULL), a.id, pr.id OFFSET $2 LIMIT 1`,
    [carrierIds, offset],
  );
  const row = rows[0];
  return { ...row, carrierCode: CARRIERS.find((c) => c.id === row.carrierId)!.code };
}

export const startInput = (target: WritingAgent, over: Record<string, unknown> = {}) => ({
  agentId: target.agentId,
  carrierId: target.carrierId,
  productId: target.productId,
  state: target.state,
  faceAmount: 500_000,
  termYears: 20,
  healthClass: 'PREFERRED',
  paymentMode: 'MONTHLY',
  ...over,
});

/** The insured's SSN the helpers write: valid in form, and easy to look for in clear in the database. */
export const INSURED_SSN = '123-45-6789';

/** The updates that fill a fresh term application in, in the order an agent might: each one a valid patch on its own. */
export function fillingIn(target: WritingAgent): Record<string, unknown>[] {
  return [
    {
      insured: {
        firstName: 'Robin',
        lastName: 'Example',
        birthDate: '1986-04-02',
        gender: 'FEMALE',
        ssn: INSURED_SSN,
        phone: '555-0100',
        email: 'robin@example.com',
        citizenship: 'US_CITIZEN',
      },
    },
    {
      insured: {
        address: { line1: '1 Main St', city: 'Springfield', state: target.state, zip: '12345' },
        heightInches: 66,
        weightPounds: 150,
        driversLicense: { number: 'D1234567', state: target.state },
      },
      owner: { kind: 'INSURED' },
    },
    {
      beneficiaries: [
        { designation: 'PRIMARY', fullName: 'Sam Example', relationship: 'SPOUSE', sharePercent: 60 },
        { designation: 'PRIMARY', fullName: 'Alex Example', relationship: 'CHILD', sharePercent: 40 },
        { designation: 'CONTINGENT', fullName: 'Example Family Trust', kind: 'TRUST', relationship: 'TRUST', sharePercent: 100 },
      ],
      coverage: { paymentMethod: 'EFT' },
      bankAccount: { routingNumber: '011000015', accountNumber: '123456789' },
    },
    {
      replacement: { hasExisting: false },
      financials: { annualIncome: 120_000, netWorth: 300_000 },
      agentReport: { knowsOfReplacement: false, relatedToInsured: false },
      hipaaAuthorized: true,
    },
  ];
}

/** Answers every question "no" and attaches every form the application lists: the last steps to good order. */
export function lastSteps(application: { questions: { code: string }[]; forms: { code: string }[] }): Record<string, unknown> {
  return {
    answers: application.questions.map((question) => ({ code: question.code, yes: false })),
    forms: application.forms.map((form) => ({ code: form.code })),
  };
}

/** Starts an application and fills it in to good order; returns it as read. */
export async function completeApplication(url: string, token: string, target: WritingAgent): Promise<Record<string, any>> {
  const started = await graphql(url, START, { input: startInput(target) }, { token });
  if (started.errors) throw new Error(JSON.stringify(started.errors));
  const id = started.data!.startApplication.id;
  let application = started.data!.startApplication;
  for (const patch of [...fillingIn(target), lastSteps(application)]) {
    const updated = await graphql(url, UPDATE, { id, patch }, { token });
    if (updated.errors) throw new Error(JSON.stringify(updated.errors));
    application = updated.data!.updateApplication;
  }
  return application;
}
