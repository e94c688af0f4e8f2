/**
 * HealthProfileInput and QuoteUnderwriting in a tiny schema of their own (the integrator wires them
 * into QuoteInput and Quote): answers in through GraphQL, the estimate out, bad answers refused as
 * BAD_USER_INPUT naming the field and never the value, every element described.
 */
import 'reflect-metadata';
import { graphql, type GraphQLSchema, isEnumType, isInputObjectType, isObjectType } from 'graphql';
import { Arg, buildSchema, Int, Query, Resolver } from 'type-graphql';
import { redactVariableError } from '../../../platform/redact';
import { DateScalar } from '../../../platform/scalars';
import { estimateUnderwriting } from '../domain/underwriting';
import { carrierByCode } from '../fixtures/carriers.fixture';
import { guidelinesFor } from '../fixtures/underwriting-guidelines.fixture';
import {
  HealthProfileInput,
  healthProfileFromInput,
  QuoteUnderwriting,
  type QuoteUnderwritingView,
  quoteUnderwritingView,
} from '../health-profile.type';

@Resolver()
class UnderwritingProbe {
  @Query(() => QuoteUnderwriting, { description: "One demo carrier's estimate for the answers." })
  underwriting(
    @Arg('carrier', () => String, { description: 'Demo carrier code.' }) carrier: string,
    @Arg('health', () => HealthProfileInput, { description: 'The answers.' }) health: HealthProfileInput,
    @Arg('issueAge', () => Int, { description: 'Issue age.' }) issueAge: number,
    @Arg('asOf', () => DateScalar, { description: 'The day.' }) asOf: string,
  ): QuoteUnderwritingView {
    const fixture = carrierByCode(carrier);
    if (!fixture) throw new Error('unknown carrier');
    return quoteUnderwritingView(estimateUnderwriting(guidelinesFor(fixture), healthProfileFromInput(health, asOf), { issueAge, asOf }));
  }
}

const QUERY = `query ($carrier: String!, $health: HealthProfileInput!) {
  underwriting(carrier: $carrier, health: $health, issueAge: 45, asOf: "2026-06-15") {
    estimatedClass tableRating flatExtraPerThousand flatExtraYears declined tobacco reasons { factor message }
  }
}`;

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchema({ resolvers: [UnderwritingProbe], validate: false });
});

const ask = (carrier: string, health: Record<string, unknown>) => graphql({ schema, source: QUERY, variableValues: { carrier, health } });

describe('HealthProfileInput through GraphQL', () => {
  it('quotes each carrier at its own estimate: occasional cigars are tobacco at SUMMIT, not at HARBOR', async () => {
    const health = {
      heightInches: 70,
      weightPounds: 180,
      nicotine: [{ kind: 'CIGAR', lastUsedOn: '2026-04-01', perYear: 6 }],
      avocations: ['SKYDIVING'],
    };
    const summit = await ask('SUMMIT', health);
    const harbor = await ask('HARBOR', health);
    expect(summit.errors).toBeUndefined();
    expect(summit.data?.underwriting).toEqual({
      estimatedClass: 'PREFERRED',
      tableRating: 0,
      flatExtraPerThousand: '3.00',
      flatExtraYears: 10,
      declined: false,
      tobacco: true,
      reasons: [
        { factor: 'NICOTINE', message: 'Tobacco or nicotine within 1 year, tobacco rates: Preferred at best' },
        { factor: 'AVOCATION', message: 'Skydiving: flat extra $3.00 per $1,000' },
      ],
    });
    expect(harbor.data?.underwriting).toMatchObject({ estimatedClass: 'PREFERRED_PLUS', tobacco: false });
  });

  it('a decline has a null class', async () => {
    const result = await ask('HARBOR', { heightInches: 70, weightPounds: 340 });
    expect(result.data?.underwriting).toMatchObject({
      estimatedClass: null,
      declined: true,
      flatExtraPerThousand: null,
      flatExtraYears: null,
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['health.weightPounds', { heightInches: 70, weightPounds: 1234 }],
    ['health.heightInches', { heightInches: 13, weightPounds: 180 }],
    ['health.bloodPressure.systolic', { bloodPressure: { systolic: 345, diastolic: 80 } }],
    ['health.nicotine[0].lastUsedOn', { nicotine: [{ kind: 'VAPE', lastUsedOn: '2031-02-17' }] }],
    ['health.conditions[0].diagnosedOn', { conditions: [{ code: 'ASTHMA', diagnosedOn: '2029-09-21' }] }],
    ['health.dui[0].occurredOn', { dui: [{ occurredOn: '2028-05-04' }] }],
  ])('refuses %s as BAD_USER_INPUT naming the field, never the value', async (field, health) => {
    const result = await ask('HARBOR', health);
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors ?? [];
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain(field);
    const told = JSON.stringify({ message: error.message, extensions: error.extensions });
    for (const secret of ['1234', '13', '345', '2031', '02-17', '2029', '09-21', '2028', '05-04']) expect(told).not.toContain(secret);
  });

  it('an unknown condition code never reaches the rules: the enum refuses it at the field, and the mask hides it', async () => {
    const result = await ask('HARBOR', { conditions: [{ code: 'GOUT', diagnosedOn: '2020-01-01' }] });
    const [error] = result.errors ?? [];
    expect(error.message).toContain('health.conditions[0].code');
    const masked = redactVariableError(error.message, error.originalError?.message);
    expect(masked).toContain('health.conditions[0].code');
    expect(masked).not.toContain('GOUT');
  });

  it('describes every type, field and enum value it adds', () => {
    const missing: string[] = [];
    const ours =
      /^(HealthProfileInput|BloodPressureInput|CholesterolInput|NicotineUseInput|FamilyHistoryInput|MedicalConditionInput|DrivingIncidentInput|AviationInput|QuoteUnderwriting|UnderwritingReason|NicotineKind|MedicalCondition|Avocation|DrivingIncident|UnderwritingFactor)$/;
    const types = Object.values(schema.getTypeMap()).filter((t) => ours.test(t.name));
    expect(types).toHaveLength(15);
    for (const type of types) {
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInputObjectType(type))
        for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
      if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });
});
