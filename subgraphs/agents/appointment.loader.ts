import DataLoader from 'dataloader';
import type { Db } from '../shared/db';
import { groupBy } from '../shared/loaders';
import { appointmentsByAgentIds } from './appointment.repository';
import type { Appointment } from './appointment.type';

/** Each agent's appointments: one statement per batch. */
export function createAppointmentLoader(db: Db) {
  return new DataLoader<string, Appointment[]>(async (agentIds) =>
    groupBy(agentIds, await appointmentsByAgentIds(db, agentIds), (r) => r.agentId),
  );
}
