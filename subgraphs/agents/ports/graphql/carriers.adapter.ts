import { join } from 'node:path';
import { readOperations, type SubgraphClient } from '../../../shared/subgraph-client';
import type { AppointmentFilingAnswer, AppointmentFilingRequest, CarrierAppointmentReport, CarriersPort } from '../carriers.port';

/** The operations of carriers.graphql, read once when the adapter is made. */
export const CARRIERS_OPERATIONS = ['FileAppointment', 'AppointmentStatuses'] as const;

const STATUSES: ReadonlySet<string> = new Set(['SUBMITTED', 'ACTIVE', 'REJECTED', 'TERMINATED']);

/** CarriersPort over GraphQL on the carriers subgraph. */
export class CarriersGraphqlAdapter implements CarriersPort {
  // Beside this module in the source tree, and copied beside the compiled one by the build (swc --copy-files).
  private readonly operations = readOperations(join(__dirname, 'carriers.graphql'), CARRIERS_OPERATIONS);

  constructor(private readonly client: SubgraphClient) {}

  async fileAppointment(request: AppointmentFilingRequest): Promise<AppointmentFilingAnswer> {
    const { fileCarrierAppointment } = await this.client.request<{ fileCarrierAppointment: AppointmentFilingAnswer }>(
      this.operations.FileAppointment,
      { input: { ...request } },
    );
    return fileCarrierAppointment;
  }

  async appointmentStatuses(carrierId: string, carrierReferences: string[]): Promise<CarrierAppointmentReport[]> {
    const { carrierAppointmentStatuses } = await this.client.request<{
      carrierAppointmentStatuses: (Omit<CarrierAppointmentReport, 'status'> & { status: string | null })[];
    }>(this.operations.AppointmentStatuses, { carrierId, carrierReferences });
    return carrierAppointmentStatuses.map((report) => ({
      ...report,
      status: report.status !== null && STATUSES.has(report.status) ? (report.status as CarrierAppointmentReport['status']) : null,
    }));
  }
}
