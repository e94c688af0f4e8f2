import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { badInput, coded } from '../../platform/errors';
import { parseId } from '../../platform/ids';
import { requireRole } from '../shared/auth';
import { APPOINTMENT_FILINGS, type AppointmentFilingCode } from '../shared/vocabulary';
import { type AppointmentRequest, CarrierFailure } from './adapters/carrier-adapter.port';
import { CarrierAppointmentFiling, CarrierAppointmentInput, CarrierAppointmentReport } from './carrier-appointment.type';
import type { CarriersContext } from './carriers.context';

const SERVICE_ONLY = ['SERVICE'] as const;
const REFERENCE = /^[A-Za-z0-9._:-]{1,128}$/;
const NPN = /^\d{1,10}$/;
const MAX_REFERENCES = 500;

/** Producer appointments at the carriers: internal fields for the agents subgraph's filing worker. */
@Resolver()
export class CarrierAppointmentResolver {
  /**
   * Files one appointment request with its carrier: a write, so the policy NEVER retries it. The
   * filing worker resends with the same reference when `retryable`; carriers deduplicate on it.
   */
  // Internal: @inaccessible keeps it out of the public API; the agents filing worker asks this subgraph directly, as SERVICE.
  @Directive('@inaccessible')
  @Mutation(() => CarrierAppointmentFiling, {
    description:
      "Files a producer appointment request with the carrier's contracting desk. SERVICE only (the agents filing worker); never retried here: resend with the same reference when retryable.",
  })
  async fileCarrierAppointment(
    @Arg('input', () => CarrierAppointmentInput, { description: 'The request.' }) input: CarrierAppointmentInput,
    @Ctx() ctx: CarriersContext,
  ): Promise<CarrierAppointmentFiling> {
    requireRole(ctx.identity, SERVICE_ONLY);
    parseId('carrier', input.carrierId, 'input.carrierId');
    const reasons = [
      !REFERENCE.test(input.reference) && 'reference must be 1 to 128 letters, digits or ._:-',
      !NPN.test(input.npn) && 'npn must be 1 to 10 digits',
      !(APPOINTMENT_FILINGS as readonly string[]).includes(input.filing) && `filing must be one of ${APPOINTMENT_FILINGS.join(', ')}`,
    ].filter((r): r is string => !!r);
    if (reasons.length) throw badInput(reasons.join('; '), reasons);
    const adapter = ctx.runtime.adapter(input.carrierId);
    if (!adapter?.fileAppointment)
      return {
        received: false,
        carrierReference: null,
        message: adapter ? 'this carrier takes no appointment requests through its adapter' : 'carrier not configured',
        retryable: true,
        failureCode: 'CARRIER.NOT_CONFIGURED',
      };
    const request: AppointmentRequest = {
      reference: input.reference,
      npn: input.npn,
      state: input.state as AppointmentRequest['state'],
      filing: input.filing as AppointmentFilingCode,
      applicationOn: input.applicationOn ?? null,
    };
    try {
      // The write policy ('submit'): one attempt, never retried here.
      const result = await ctx.runtime.call(
        input.carrierId,
        'submit',
        (a, options) => a.fileAppointment!(request, options),
        () => ctx.stats.carrierCalls++,
      );
      if (result.received)
        return { received: true, carrierReference: result.carrierReference, message: null, retryable: false, failureCode: null };
      return { received: false, carrierReference: null, message: result.message, retryable: false, failureCode: 'CARRIER.REJECTED' };
    } catch (error) {
      if (error instanceof CarrierFailure) {
        const rejected = error.code === 'CARRIER.REJECTED';
        return { received: false, carrierReference: null, message: error.message, retryable: !rejected, failureCode: error.code };
      }
      ctx.logger.error({ err: error, carrierId: input.carrierId }, 'appointment filing failed unexpectedly');
      return {
        received: false,
        carrierReference: null,
        message: 'unexpected error while filing the appointment',
        retryable: true,
        failureCode: 'CARRIER.ERROR',
      };
    }
  }

  /** Fresh from the carrier, batched where its protocol allows; a failure is an error (the worker asks again later). */
  // Internal: @inaccessible keeps it out of the public API; the agents filing worker asks this subgraph directly, as SERVICE.
  @Directive('@inaccessible')
  @Query(() => [CarrierAppointmentReport], {
    description:
      "The carrier's current answer on these appointment requests. SERVICE only (the agents filing worker). References the carrier does not know are left out.",
  })
  async carrierAppointmentStatuses(
    @Arg('carrierId', () => ID, { description: 'The carrier (car_...).' }) carrierId: string,
    @Arg('carrierReferences', () => [String], { description: "The carrier's ids of the requests (at most 500)." })
    carrierReferences: string[],
    @Ctx() ctx: CarriersContext,
  ): Promise<CarrierAppointmentReport[]> {
    requireRole(ctx.identity, SERVICE_ONLY);
    parseId('carrier', carrierId, 'carrierId');
    if (carrierReferences.length > MAX_REFERENCES) throw badInput(`at most ${MAX_REFERENCES} carrierReferences`);
    if (carrierReferences.some((r) => !REFERENCE.test(r))) throw badInput('carrierReferences must be 1 to 128 letters, digits or ._:-');
    if (!carrierReferences.length) return [];
    const adapter = ctx.runtime.adapter(carrierId);
    if (!adapter?.appointmentStatuses) throw coded('CARRIER_UNAVAILABLE', `carrier ${carrierId} takes no appointment inquiries`);
    try {
      const statuses = await ctx.runtime.call(
        carrierId,
        'status',
        (a, options) => a.appointmentStatuses!(carrierReferences, options),
        () => ctx.stats.carrierCalls++,
      );
      return [...statuses.values()];
    } catch (error) {
      if (!(error instanceof CarrierFailure)) ctx.logger.error({ err: error, carrierId }, 'appointment inquiry failed unexpectedly');
      const reason = error instanceof CarrierFailure ? error.code : 'CARRIER.ERROR';
      throw coded(
        'CARRIER_UNAVAILABLE',
        `carrier ${carrierId} appointment status unavailable${error instanceof CarrierFailure ? `: ${error.message}` : ''}`,
        { carrierId, reason },
      );
    }
  }
}
