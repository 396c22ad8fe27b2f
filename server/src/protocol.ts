// What stands between the transport and vscode-languageserver's connection. The library splits frames leniently and
// leaves the rules of JSON-RPC and the LSP lifecycle to the server: after a bad Content-Length it went quiet for
// good, a request before `initialize` or after `shutdown` was served, a second `initialize` was accepted, and params
// of the wrong shape reached the handlers and came back as -32603 with a TypeError's text. Here every message is
// checked first, and answered with the error the specifications name when it cannot be served.
import * as net from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  AbstractMessageReader,
  createConnection,
  Disposable,
  ErrorCodes,
  IPCMessageReader,
  IPCMessageWriter,
  ProposedFeatures,
  StreamMessageWriter,
  type Connection,
  type DataCallback,
  type Message,
  type MessageReader,
  type MessageWriter,
  type ResponseMessage,
} from 'vscode-languageserver/node';

/** The largest message taken: a buffer at the engine's source file limit (64 MB), escaped as JSON, fits. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** A header block is a line or two; this much without its end is not a header. */
const MAX_HEADER_BYTES = 8 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');

/** The byte stream can no longer be split into messages: nothing after it can be trusted. */
export class FramingError extends Error {}

/**
 * Splits the LSP base protocol (`Content-Length: n\r\n\r\n` and n bytes of body) strictly. A header it cannot trust
 * throws a FramingError: past it, the next message's start is unknown, and guessing would answer garbage.
 */
export class FrameSplitter {
  /** What has arrived and is not yet split: kept as chunks, so a large body is joined once, not once per chunk. */
  private chunks: Buffer[] = [];
  private size = 0;
  /** The length of the body being read, or -1 while reading a header. */
  private length = -1;

  constructor(private readonly onBody: (body: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    for (;;) {
      if (this.length < 0) {
        const buffer = this.joined();
        const end = buffer.indexOf(HEADER_END);
        if (end < 0) {
          if (buffer.length > MAX_HEADER_BYTES) throw new FramingError(`no end of header in the first ${MAX_HEADER_BYTES} bytes`);
          return;
        }
        this.length = contentLength(buffer.subarray(0, end));
        this.keep(buffer.subarray(end + HEADER_END.length));
      }
      if (this.size < this.length) return;
      const buffer = this.joined();
      const body = buffer.subarray(0, this.length);
      this.keep(buffer.subarray(this.length));
      this.length = -1;
      this.onBody(body);
    }
  }

  private joined(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0];
  }

  private keep(rest: Buffer): void {
    this.chunks = [rest];
    this.size = rest.length;
  }
}

function contentLength(header: Buffer): number {
  let length: number | undefined;
  for (const line of header.toString('latin1').split('\r\n')) {
    const field = /^([A-Za-z0-9-]+):[ \t]*([\x20-\x7e]*)$/.exec(line);
    if (!field) throw new FramingError(`a header line is not "Name: value": ${JSON.stringify(line.slice(0, 80))}`);
    if (field[1].toLowerCase() !== 'content-length') continue; // Content-Type is the only other header; utf-8 is assumed
    if (!/^\d{1,12}$/.test(field[2])) throw new FramingError(`Content-Length is not a length: ${JSON.stringify(field[2].slice(0, 40))}`);
    length = Number(field[2]);
    if (length > MAX_MESSAGE_BYTES) throw new FramingError(`Content-Length ${length} is over the limit of ${MAX_MESSAGE_BYTES} bytes`);
  }
  if (length === undefined) throw new FramingError('a header without Content-Length');
  return length;
}

type Check = (value: unknown, at: string) => string | undefined;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const integer: Check = (value, at) => (Number.isSafeInteger(value) ? undefined : `${at} must be an integer`);
const uinteger: Check = (value, at) => (Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : `${at} must be an integer of 0 or more`);
const string: Check = (value, at) => (typeof value === 'string' ? undefined : `${at} must be a string`);
const anything: Check = () => undefined;
const optional = (check: Check): Check => (value, at) => (value === undefined ? undefined : check(value, at));
const nullable = (check: Check): Check => (value, at) => (value === null ? undefined : check(value, at));
const oneOf = (...allowed: unknown[]): Check => (value, at) => (allowed.includes(value) ? undefined : `${at} must be one of ${allowed.join(', ')}`);
const array = (item: Check = anything): Check => (value, at) => {
  if (!Array.isArray(value)) return `${at} must be an array`;
  for (const [index, element] of value.entries()) {
    const problem = item(element, `${at}[${index}]`);
    if (problem) return problem;
  }
  return undefined;
};
const shape = (fields: Record<string, Check>): Check => (value, at) => {
  if (!isObject(value)) return `${at} must be an object`;
  for (const [key, check] of Object.entries(fields)) {
    const problem = check(value[key], `${at}.${key}`);
    if (problem) return problem;
  }
  return undefined;
};
/** A URI, and for `file:` one this system can turn into a path (`file://host/…` cannot be on Linux). */
const uri: Check = (value, at) => {
  if (typeof value !== 'string') return `${at} must be a string`;
  try {
    if (value.startsWith('file:')) fileURLToPath(value);
    else new URL(value);
    return undefined;
  } catch (error) {
    return `${at} is not a usable URI: ${(error as Error).message}`;
  }
};
const position = shape({ line: uinteger, character: uinteger });
const range = shape({ start: position, end: position });
const document = shape({ uri });
const folder = shape({ uri });

/** The params of each method the server handles. Others go to the library as they are (unknown ones get MethodNotFound). */
const PARAMS: Record<string, Check> = {
  initialize: shape({ capabilities: shape({}), processId: optional(nullable(integer)), rootUri: optional(nullable(uri)), workspaceFolders: optional(nullable(array(folder))) }),
  'textDocument/hover': shape({ textDocument: document, position }),
  'textDocument/codeAction': shape({ textDocument: document, range, context: shape({ diagnostics: array(shape({ range })), only: optional(array(string)) }) }),
  'textDocument/diagnostic': shape({ textDocument: document, previousResultId: optional(string) }),
  'workspace/diagnostic': shape({ previousResultIds: array(shape({ uri, value: string })) }),
  'workspace/executeCommand': shape({ command: string, arguments: optional(array()) }),
  'textDocument/didOpen': shape({ textDocument: shape({ uri, version: integer, text: string }) }),
  // The server asks for full text on every change (TextDocumentSyncKind.Full): a range would make the text a fragment.
  'textDocument/didChange': shape({
    textDocument: shape({ uri, version: optional(nullable(integer)) }),
    contentChanges: array(shape({ text: string, range: (value, at) => (value === undefined ? undefined : `${at}: the server syncs whole documents, not ranges`) })),
  }),
  'textDocument/didSave': shape({ textDocument: document, text: optional(string) }),
  'textDocument/didClose': shape({ textDocument: document }),
  'workspace/didChangeWatchedFiles': shape({ changes: array(shape({ uri, type: oneOf(1, 2, 3) })) }),
  'workspace/didChangeWorkspaceFolders': shape({ event: shape({ added: array(folder), removed: array(folder) }) }),
  'workspace/didChangeConfiguration': shape({}),
  '$/cancelRequest': shape({ id: (value, at) => (typeof value === 'string' || Number.isSafeInteger(value) ? undefined : `${at} must be a number or a string`) }),
};

/** What to do with one incoming message. */
export type Verdict = { pass: Message } | { reply: ResponseMessage } | { drop: string };

const errorReply = (id: number | string | null, code: number, message: string): Verdict => ({ reply: { jsonrpc: '2.0', id, error: { code, message } } });
const isId = (id: unknown): id is number | string => typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));

/**
 * The lifecycle and the shape of messages (JSON-RPC 2.0, LSP 3.17 "Lifecycle Messages"): before `initialize` a
 * request gets ServerNotInitialized and a notification but `exit` is dropped; `initialize` is taken once; after
 * `shutdown` a request gets InvalidRequest. Params are checked against the method's shape (InvalidParams).
 */
export class Gate {
  private state: 'new' | 'running' | 'shutdown' = 'new';

  get shutdownReceived(): boolean {
    return this.state === 'shutdown';
  }

  admit(message: unknown): Verdict {
    if (!isObject(message)) return errorReply(null, ErrorCodes.InvalidRequest, 'Invalid request: a message must be a JSON object');
    const { id, method, params } = message;
    if (method === undefined) {
      // A response to one of the server's requests.
      if ((isId(id) || id === null) && ('result' in message || 'error' in message)) return { pass: message as unknown as Message };
      return errorReply(null, ErrorCodes.InvalidRequest, 'Invalid request: no method, and not a response');
    }
    const isRequest = id !== undefined;
    if (typeof method !== 'string' || (isRequest && !isId(id))) {
      return errorReply(isId(id) ? id : null, ErrorCodes.InvalidRequest, `Invalid request: ${typeof method !== 'string' ? 'the method must be a string' : 'the id must be a number or a string'}`);
    }
    if (!isRequest) return this.notification(method, params, message);
    if (this.state === 'new' && method !== 'initialize') return errorReply(id, ErrorCodes.ServerNotInitialized, `${method} before initialize: the server is not initialized`);
    if (this.state === 'running' && method === 'initialize') return errorReply(id, ErrorCodes.InvalidRequest, 'initialize was already received');
    if (this.state === 'shutdown') return errorReply(id, ErrorCodes.InvalidRequest, `${method} after shutdown: the server is shutting down`);
    const problem = this.checkParams(method, params);
    if (problem) return errorReply(id, ErrorCodes.InvalidParams, `Invalid params for ${method}: ${problem}`);
    if (method === 'initialize') this.state = 'running';
    if (method === 'shutdown') this.state = 'shutdown';
    return { pass: message as unknown as Message };
  }

  private notification(method: string, params: unknown, message: Record<string, unknown>): Verdict {
    if (method === 'exit') return { pass: message as unknown as Message };
    if (this.state === 'new') return { drop: `${method} before initialize` };
    if (this.state === 'shutdown') return { drop: `${method} after shutdown` };
    const problem = this.checkParams(method, params);
    // A notification cannot be answered: one with bad params is dropped (and logged), never half-applied.
    return problem ? { drop: `${method} with invalid params: ${problem}` } : { pass: message as unknown as Message };
  }

  private checkParams(method: string, params: unknown): string | undefined {
    if (params !== undefined && typeof params !== 'object') return 'params must be an object or an array';
    return PARAMS[method]?.(params, 'params');
  }
}

/**
 * A reader that hands the connection only messages the gate admits, answering the rest itself. On stdio it splits
 * the frames too: a body that is not JSON is answered with ParseError (the frame was sound, so the next one is
 * found), but a FramingError is fatal, since no later byte can be placed.
 */
export class GuardedReader extends AbstractMessageReader {
  readonly gate = new Gate();

  constructor(
    private readonly source: NodeJS.ReadableStream | MessageReader,
    private readonly reply: (response: ResponseMessage) => void,
    private readonly log: (message: string) => void,
    private readonly fatal: (reason: string) => void,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const deliver = (message: unknown) => {
      const verdict = this.gate.admit(message);
      if ('pass' in verdict) {
        // The library handles a message as it is handed over: what it throws must not end the process.
        try {
          callback(verdict.pass);
        } catch (error) {
          this.log(`failed to handle a message: ${(error as Error).message}`);
        }
      } else if ('reply' in verdict) this.reply(verdict.reply);
      else this.log(`dropped ${verdict.drop}`);
    };
    const source = this.source;
    if (!('read' in source)) {
      // Already parsed (node IPC): only the gate applies.
      source.onError((error) => this.fireError(error));
      source.onClose(() => this.fireClose());
      return source.listen(deliver);
    }
    const splitter = new FrameSplitter((body) => {
      const text = body.toString('utf8');
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch (error) {
        // A body that holds a header means the previous Content-Length was wrong (a short body): the frames are lost.
        if (/Content-Length:/i.test(text)) return this.fatal(`a message body holds another message's header: a Content-Length was wrong (${(error as Error).message})`);
        this.log(`answered a body that is not JSON with ParseError: ${(error as Error).message}`);
        return this.reply({ jsonrpc: '2.0', id: null, error: { code: ErrorCodes.ParseError, message: `Parse error: ${(error as Error).message}` } });
      }
      deliver(message);
    });
    const onData = (chunk: Buffer) => {
      try {
        splitter.push(chunk);
      } catch (error) {
        if (!(error instanceof FramingError)) throw error;
        this.fatal(`malformed frame: ${error.message}`);
      }
    };
    const onClose = () => this.fireClose();
    source.on('data', onData);
    source.on('end', onClose);
    source.on('close', onClose);
    source.on('error', (error: Error) => this.fireError(error));
    return Disposable.create(() => {
      source.off('data', onData);
      source.off('end', onClose);
      source.off('close', onClose);
    });
  }
}

/** The transport the command line names: `--stdio`, `--node-ipc`, `--socket=<port>` or `--pipe=<name>` (or `--socket <port>`). */
export type Transport = { kind: 'stdio' } | { kind: 'node-ipc' } | { kind: 'socket'; port: number } | { kind: 'pipe'; name: string };

export function transportOf(argv: readonly string[]): Transport | undefined {
  for (const [index, arg] of argv.entries()) {
    if (arg === '--stdio') return { kind: 'stdio' };
    if (arg === '--node-ipc') return { kind: 'node-ipc' };
    const match = /^--(socket|pipe)(?:=(.*))?$/.exec(arg);
    if (!match) continue;
    const value = match[2] ?? argv[index + 1] ?? '';
    if (match[1] === 'pipe') return value ? { kind: 'pipe', name: value } : undefined;
    const port = Number(value);
    return Number.isInteger(port) && port > 0 && port < 65536 ? { kind: 'socket', port } : undefined;
  }
  return undefined;
}

/** Errors that mean the other end of a pipe or socket is gone. */
const GONE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END', 'ECONNABORTED']);

/**
 * The connection on the transport the command line names, behind the gate. On `--stdio`, `--socket=<port>` and
 * `--pipe=<name>` the frames are split strictly here (a broken frame is logged and the process exits with 1);
 * `--node-ipc` (what the VS Code extension uses) carries parsed messages. For a socket or pipe the server connects to
 * the client, which listens, as vscode-languageclient does. The process exits when its client goes away: the input
 * ends, stdout is closed under it (EPIPE at the next write, though stdin stays open), the socket closes or fails
 * (EPIPE, ECONNRESET), or the IPC
 * channel closes (and, from the library, when the `processId` given at initialize is gone), with 0 only after a
 * `shutdown`.
 */
export function connect(argv: readonly string[] = process.argv): Connection {
  // stderr may be gone too (the client closed everything): a failed log line must not become an uncaught error.
  process.stderr.on('error', () => undefined);
  const log = (message: string) => void process.stderr.write(`breakwater-language-server: ${message}\n`);
  const leave = () => process.exit(reader?.gate.shutdownReceived ? 0 : 1);
  const fatal = (reason: string) => {
    log(`${reason}; exiting so that the client can start the server again`);
    process.exit(1);
  };
  /** The stream the server writes to: when the client's end of it is gone, nobody can hear the server any more. */
  const watchOutput = (output: NodeJS.WritableStream) => {
    output.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code && GONE.has(error.code)) log(`the client's end of the output is closed (${error.code}); exiting`);
      else log(`writing to the client failed (${error.code ?? error.message}); exiting`);
      leave();
    });
  };
  let reader: GuardedReader | undefined;
  let writer: MessageWriter;
  let source: NodeJS.ReadableStream | MessageReader;
  const transport = transportOf(argv);
  if (transport?.kind === 'stdio') {
    writer = new StreamMessageWriter(process.stdout);
    source = process.stdin;
    watchOutput(process.stdout);
    // stdout carries the protocol: a stray console.log from anywhere would break a frame.
    console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);
  } else if (transport?.kind === 'node-ipc') {
    writer = new IPCMessageWriter(process);
    source = new IPCMessageReader(process);
    process.on('disconnect', leave);
  } else if (transport?.kind === 'socket' || transport?.kind === 'pipe') {
    const where = transport.kind === 'socket' ? `port ${transport.port}` : `pipe ${transport.name}`;
    const socket = transport.kind === 'socket' ? net.createConnection(transport.port, '127.0.0.1') : net.createConnection(transport.name);
    let connected = false;
    socket.on('connect', () => (connected = true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!connected) fatal(`could not connect to the client on ${where} (${error.code ?? error.message})`);
      else if (error.code && GONE.has(error.code)) log(`the client's end of the connection is closed (${error.code}); exiting`);
      else log(`the connection to the client failed (${error.code ?? error.message}); exiting`);
      leave();
    });
    socket.on('close', leave);
    writer = new StreamMessageWriter(socket);
    source = socket;
    console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);
  } else {
    return createConnection(ProposedFeatures.all);
  }
  const reply = (response: ResponseMessage) => void writer.write(response).catch(() => undefined);
  reader = new GuardedReader(source, reply, log, fatal);
  reader.onClose(leave);
  return createConnection(ProposedFeatures.all, reader, writer);
}
