// cross-service-db-access: each service hides its database. Another service that connects to it, or imports the
// modules that use it, couples the two services' schemas and deployments.
import { ruleDocsUrl, type Rule, type RuleReport } from './types';

export interface CrossServiceDbAccessOptions {
  /** Databases (by database name, host or environment variable) that several services may share by design, e.g. a read replica. */
  allow: string[];
  /** Also report imports of another service's modules that lead to its database (source-level coupling). */
  checkImports: boolean;
}

export const crossServiceDbAccess: Rule<CrossServiceDbAccessOptions> = {
  meta: {
    id: 'cross-service-db-access',
    description: "Each service hides its database: no other service connects to it or imports the code that uses it.",
    docsUrl: ruleDocsUrl('cross-service-db-access'),
    defaultSeverity: 'warning',
    fixable: false,
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allow: { type: 'array', items: { type: 'string', minLength: 1 } },
        checkImports: { type: 'boolean' },
      },
    },
    defaultOptions: { allow: [], checkImports: true },
  },

  check({ model, options }) {
    const reports: RuleReport[] = [];
    const allowed = new Set(options.allow);
    const clients = new Map(model.clients.map((client) => [client.id, client]));

    for (const use of model.databaseUses) {
      if (!use.owner || !use.service || use.owner === use.service) continue;
      if ([use.database, use.host, ...(use.envVars ?? [])].some((name) => name !== undefined && allowed.has(name))) continue;
      const client = clients.get(use.client);
      const which = use.database ?? use.host ?? use.envVars?.[0] ?? 'its database';
      reports.push({
        message: `\`${client?.callee ?? use.library}()\` in ${use.service} connects to the database of the ${use.owner} service (${which}): call the ${use.owner} API instead, or declare the database shared (\`allow\`). Why: ${use.ownerReason}; sharing it couples the two services' schemas and deployments.`,
        location: use.location,
        service: use.service,
      });
    }

    if (options.checkImports) {
      for (const item of model.crossServiceImports) {
        if (!item.database) continue;
        reports.push({
          message: `${item.service} imports '${item.specifier}' from the ${item.targetService} service, which uses its database (${item.database.library}): call the ${item.targetService} API instead. Why: reading another service's data through its code couples their schemas and deployments; subscribe to its events where a call will not do.`,
          location: item.location,
          service: item.service,
          related: [{ location: item.database.location, message: `the ${item.targetService} service uses its database here` }],
        });
      }
    }
    return reports;
  },
};
