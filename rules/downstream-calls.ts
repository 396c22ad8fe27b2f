// The calls a rule reasons about as "a call to a downstream": an outbound call, or, when it sits in a generic wrapper
// whose callers say where it goes (`rpc(url)` → `fetch(url)`), each call of that wrapper.
import type { CallTarget, Model, OutboundCall } from '../engine/model/types';
import type { SourceLocation } from '../engine/types';

export interface DownstreamCall {
  /** The outbound call itself (inside the wrapper, for wrapper calls). */
  call: OutboundCall;
  location: SourceLocation;
  callee: string;
  service?: string;
  target: CallTarget;
  policies: Array<{ id: string; perCall: boolean }>;
  alwaysUnder: OutboundCall['alwaysUnder'];
  passedTo: string[];
  headers?: string[];
  inRequestHandler: boolean;
  detached?: true;
  /** Only developers' tools reach it: see `toolFiles`. */
  fromToolsOnly?: true;
}

export function downstreamCalls(call: OutboundCall): DownstreamCall[] {
  if (!call.via || call.via.length === 0) {
    const { location, callee, service, target, policies, alwaysUnder, passedTo, headers, inRequestHandler, detached, fromToolsOnly } = call;
    return [{ call, location, callee, service, target, policies, alwaysUnder, passedTo, headers, inRequestHandler, ...(detached && { detached }), ...(fromToolsOnly && { fromToolsOnly }) }];
  }
  // Policies applied inside the wrapper cover every call of it.
  return call.via.map((wrapperCall) => ({
    call,
    ...wrapperCall,
    policies: [...call.policies, ...wrapperCall.policies],
    alwaysUnder: [...new Set([...call.alwaysUnder, ...wrapperCall.alwaysUnder])],
    passedTo: [...wrapperCall.passedTo, ...call.passedTo],
  }));
}

/** A name for the downstream a call reaches: the service, else the host, else the environment variable. */
export function downstreamName(target: CallTarget): string | undefined {
  return target.service ?? target.host ?? target.envVars?.[0];
}

/**
 * Files that run as developers' tools (a package with `bin`, `scripts/`, `examples/`): missing-timeout still applies
 * there, but a CLI needs no circuit breaker and starts no request to correlate.
 */
export function toolFiles(model: Model): Set<string> {
  return new Set(model.files.filter((file) => file.runs === 'tool').map((file) => file.path));
}
