/**
 * Requirement.vendorStatus (the order at its vendor, from the row itself: no query) and
 * Requirement.history (the case events carrying the requirement's id, oldest first; batched by the
 * request's requirementEvents loader, so N requirements cost one statement).
 */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { CaseEvent, type CaseEventRow } from './case-event.type';
import type { CasesContext } from './cases.context';
import { VENDORS } from './domain/requirement-vendors';
import { Requirement, type RequirementRow } from './requirement.type';
import { RequirementVendorStatus } from './requirement-vendor.type';

@Resolver(() => Requirement)
export class RequirementVendorResolver {
  @FieldResolver(() => RequirementVendorStatus, {
    nullable: true,
    description: 'Where the order stands at its vendor; null for a requirement not ordered from a vendor.',
  })
  vendorStatus(@Root() row: RequirementRow): RequirementVendorStatus | null {
    if (!row.vendor) return null;
    const details = row.vendorDetails ?? {};
    return {
      vendor: row.vendor,
      vendorName: VENDORS[row.vendor].name,
      orderId: row.vendorOrderId,
      stage: row.vendorStage ?? 'QUEUED',
      since: row.vendorStageAt ?? row.orderedAt,
      appointmentAt: details.appointmentAt ?? null,
      appointmentPlace: details.appointmentPlace ?? null,
      providerExpectedOn: details.providerExpectedOn ?? null,
    };
  }

  @FieldResolver(() => [CaseEvent], {
    description:
      "The requirement's own history: the case events about it (ordered, sent to its vendor, each vendor stage, follow-ups, receipt), oldest first.",
  })
  history(@Root() row: RequirementRow, @Ctx() ctx: CasesContext): Promise<CaseEventRow[]> {
    return ctx.loaders.requirementEvents.load(row.id);
  }
}
