// The rule registry. A rule is one module in this folder with `meta` and `check`; add it here, in docs/rules/, in
// the tests and in examples/shop (see ARCHITECTURE.md).
import { crossServiceDbAccess } from './cross-service-db-access';
import { missingCorrelationId } from './missing-correlation-id';
import { missingTimeout } from './missing-timeout';
import { sharedConnectionPool } from './shared-connection-pool';
import { unguardedDownstreamCall } from './unguarded-downstream-call';
import type { Rule, RuleMeta } from './types';

export const ruleModules: Rule<any>[] = [missingTimeout, unguardedDownstreamCall, sharedConnectionPool, crossServiceDbAccess, missingCorrelationId];

export const allRules: RuleMeta[] = ruleModules.map((rule) => rule.meta);
