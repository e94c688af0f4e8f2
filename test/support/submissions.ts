/**
 * Cases that submitCase accepts, for tests and benchmarks that need to write new business through
 * the gateway: agents eligible at a carrier (active, licensed for LIFE in the state, E&O current,
 * appointed) with a TERM product sold in that state that takes a $500,000 PREFERRED case.
 */
import type pg from 'pg';

export interface SubmissionTarget {
  agentId: string;
  carrierId: string;
  productId: string;
  state: string;
}

/**
 * Up to `limit` eligible (agent, carrier, product, state): one per agent, from the last agent id down,
 * or (onePer: 'carrier') one per carrier, the lowest agent id of each.
 */
export async function eligibleTargets(pool: pg.Pool, limit = 1, onePer: 'agent' | 'carrier' = 'agent'): Promise<SubmissionTarget[]> {
  const { rows } = await pool.query(
    `SELECT DISTINCT ON (${onePer === 'agent' ? 'a.id' : 'p.carrier_id'}) a.id AS "agentId", p.carrier_id AS "carrierId", p.state, pr.id AS "productId"
       FROM agents.agent a
       JOIN agents.appointment p ON p.agent_id = a.id AND p.status = 'ACTIVE'
       JOIN agents.license l ON l.agent_id = a.id AND l.state = p.state AND l.resident = (l.state = a.resident_state)
            AND 'LIFE' = ANY(l.lines_of_authority) AND l.expires_on >= current_date AND l.effective_on <= current_date AND NOT l.revoked
       JOIN carriers.product pr ON pr.carrier_id = p.carrier_id AND pr.type = 'TERM' AND p.state = ANY(pr.available_states)
            AND pr.min_face_amount <= 500000 AND pr.max_face_amount >= 500000 AND 'PREFERRED' = ANY(pr.health_classes)
      WHERE a.status = 'ACTIVE' AND a.eo_expires_on >= current_date
      ORDER BY ${onePer === 'agent' ? 'a.id DESC, p.carrier_id' : 'p.carrier_id, a.id'}, pr.id LIMIT $1`,
    [limit],
  );
  return rows as SubmissionTarget[];
}

/** A SubmitCaseInput for a target under an idempotency key. */
export function submission(target: SubmissionTarget, idempotencyKey: string) {
  return {
    idempotencyKey,
    agentId: target.agentId,
    carrierId: target.carrierId,
    productId: target.productId,
    insured: { firstName: 'Sam', lastName: 'Example', birthDate: '1983-02-11', gender: 'MALE', state: target.state, tobacco: false },
    faceAmount: 500_000,
    termYears: 20,
    healthClass: 'PREFERRED',
    paymentMode: 'MONTHLY',
  };
}
