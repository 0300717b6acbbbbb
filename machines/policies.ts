// Policy names the compiler and the validator both read (the policies' shapes are in
// schema/processDefinition.ts).
export const numericPolicies = ['mqlThreshold', 'sqlThreshold', 'discountApprovalLimitPct', 'overpaymentTolerance'] as const;
export const durationPolicies = ['paymentTerms', 'quoteValidity', 'nurtureWindow'] as const;
/** A timer on this policy fires once per dunning level, in level order. */
export const levelPolicy = 'dunning';
