/**
 * The arithmetic of caseMetrics: every figure is a sum of additive per-(group, status) rows, or a
 * ratio of such sums; money stays integer cents (BigInt) until formatted; days are seconds / 86400
 * at the end. Pure: the rows come from case-metrics.repository.ts.
 */
import { formatMoney } from '../../../platform/money';
import type { CaseStatusCode as CaseStatus } from '../../shared/vocabulary';
import { isClosed } from './case-status';

/** How a cohort is split into groups (the MetricsGrouping enum's values). */
export type Grouping = 'CARRIER' | 'AGENT' | 'MONTH' | 'PRODUCT_TYPE';

/** The figures of one cohort or group (CaseMetricsFigures). */
export interface Figures {
  submitted: number;
  open: number;
  placed: number;
  declined: number;
  notTaken: number;
  placementRatio: number | null;
  placementOfSubmitted: number | null;
  notTakenRate: number | null;
  declineRate: number | null;
  averageDaysToIssue: number | null;
  medianDaysToIssue: number | null;
  averageDaysToPlace: number | null;
  submittedPremium: string;
  placedPremium: string;
}

export const SECONDS_PER_DAY = 86_400;

/** One row per (group key, status): everything additive the figures are made of. */
export interface PartRow {
  key: string | null;
  status: CaseStatus;
  cases: number;
  approved: number;
  issued: number;
  issueSeconds: number | null;
  placedCount: number;
  placeSeconds: number | null;
  premiumCents: string;
}

/** The sums of PartRows of one group (or of the whole cohort). */
export class Tally {
  submitted = 0;
  open = 0;
  closed = 0;
  placed = 0;
  declined = 0;
  postponed = 0;
  notTaken = 0;
  approved = 0;
  issued = 0;
  issueSeconds = 0;
  placedCount = 0;
  placeSeconds = 0;
  premiumCents = 0n;
  placedPremiumCents = 0n;

  add(row: PartRow): void {
    this.submitted += row.cases;
    if (isClosed(row.status)) this.closed += row.cases;
    else this.open += row.cases;
    if (row.status === 'PLACED') this.placed += row.cases;
    if (row.status === 'DECLINED') this.declined += row.cases;
    if (row.status === 'POSTPONED') this.postponed += row.cases;
    if (row.status === 'NOT_TAKEN') this.notTaken += row.cases;
    this.approved += row.approved;
    this.issued += row.issued;
    this.issueSeconds += row.issueSeconds ?? 0;
    this.placedCount += row.placedCount;
    this.placeSeconds += row.placeSeconds ?? 0;
    // Sums arrive as text: totals can pass 2^53 cents on a large book, so they go through BigInt.
    const cents = BigInt(row.premiumCents);
    this.premiumCents += cents;
    if (row.status === 'PLACED') this.placedPremiumCents += cents;
  }

  figures(medianSeconds: number | null | undefined): Figures {
    const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);
    return {
      submitted: this.submitted,
      open: this.open,
      placed: this.placed,
      declined: this.declined,
      notTaken: this.notTaken,
      placementRatio: ratio(this.placed, this.closed),
      placementOfSubmitted: ratio(this.placed, this.submitted),
      notTakenRate: ratio(this.notTaken, this.placed + this.notTaken),
      declineRate: ratio(this.declined, this.declined + this.postponed + this.approved),
      averageDaysToIssue: this.issued === 0 ? null : this.issueSeconds / this.issued / SECONDS_PER_DAY,
      medianDaysToIssue: medianSeconds == null ? null : medianSeconds / SECONDS_PER_DAY,
      averageDaysToPlace: this.placedCount === 0 ? null : this.placeSeconds / this.placedCount / SECONDS_PER_DAY,
      submittedPremium: formatMoney(this.premiumCents),
      placedPremium: formatMoney(this.placedPremiumCents),
    };
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** A group's label: the month spelled out, the product type in words, otherwise the key (an id). */
export function groupLabel(grouping: Grouping, key: string): string {
  if (grouping === 'MONTH') return `${MONTHS[Number(key.slice(5, 7)) - 1]} ${key.slice(0, 4)}`;
  if (grouping === 'PRODUCT_TYPE')
    return key
      .toLowerCase()
      .split('_')
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(' ');
  return key;
}
