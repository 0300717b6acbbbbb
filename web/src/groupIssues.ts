// Validation errors as a person fixes them: each root cause with the knock-ons that follow from
// it (`causedBy`) grouped under it. A knock-on whose root is not in the list stands alone. Pure.
import type { ValidationError } from './types';

export interface IssueGroup<T extends ValidationError> {
  root: T;
  knockOns: T[];
}

export function groupIssues<T extends ValidationError>(errors: readonly T[]): IssueGroup<T>[] {
  const roots = errors.filter((e) => e.causedBy === undefined || !errors.some((r) => r.path === e.causedBy && r.causedBy === undefined));
  return roots.map((root) => ({
    root,
    knockOns: root.causedBy === undefined ? errors.filter((e) => e.causedBy === root.path && e !== root) : [],
  }));
}
