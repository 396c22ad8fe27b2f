// Message brokers.
import type { LibrarySpec } from '../types';

export const kafkajs: LibrarySpec = {
  id: 'kafkajs',
  name: 'KafkaJS',
  kind: 'broker',
  modules: ['kafkajs'],
  module: { members: { Kafka: { does: 'create', type: 'Kafka', role: 'client', optionsArgs: [0] } } },
  types: {
    Kafka: { members: { producer: { does: 'returns', type: 'Producer' }, consumer: { does: 'returns', type: 'Consumer' }, admin: { does: 'returns', type: 'Consumer' } } },
    Producer: {
      members: {
        send: { does: 'request', optionsArgs: [0], headerPaths: [['messages', '*', 'headers']] },
        sendBatch: { does: 'request', optionsArgs: [0], headerPaths: [['topicMessages', '*', 'messages', '*', 'headers']] },
      },
    },
    // `consumer.run({ eachMessage })`: the handler runs once per message, like a request handler.
    Consumer: { members: { run: { does: 'serve', framework: 'kafkajs', handlers: { option: 'eachMessage' } } } },
  },
  timeout: {
    options: [{ path: ['requestTimeout'], bounds: 'request', none: [0] }],
    default: { bounded: true, ms: 30_000, detail: 'KafkaJS bounds requests at 30 s by default (requestTimeout)' },
    fixAt: 'client',
    fix: 'set `requestTimeout` (ms) to a non-zero value',
  },
  source: 'kafkajs src/cluster/index.js (requestTimeout 30000), src/index.js (connectionTimeout 1000, enforceRequestTimeout true)',
};

export const amqplib: LibrarySpec = {
  id: 'amqplib',
  name: 'amqplib',
  kind: 'broker',
  modules: ['amqplib', 'amqplib/callback_api'],
  module: { members: { connect: { does: 'create', type: 'AmqpConnection', role: 'connection', urlArg: 0, optionsArgs: [1] } } },
  types: {
    AmqpConnection: { members: { createChannel: { does: 'returns', type: 'AmqpChannel' }, createConfirmChannel: { does: 'returns', type: 'AmqpChannel' } } },
    AmqpChannel: {
      members: {
        publish: { does: 'request', optionsArgs: [3], fireAndForget: true, correlationOptions: ['correlationId'] },
        sendToQueue: { does: 'request', optionsArgs: [2], fireAndForget: true, correlationOptions: ['correlationId'] },
        consume: { does: 'serve', framework: 'amqplib', handlers: 'functions' },
      },
    },
  },
  timeout: {
    options: [{ path: ['timeout'], bounds: 'request', none: [0] }],
    default: { bounded: false, detail: "amqplib's connect has no timeout by default" },
    fixAt: 'client',
    fix: 'pass `{ timeout: ms }` as the socket options of `connect`',
    insert: { key: 'timeout', value: '{ms}' },
  },
  source: 'amqplib lib/connect.js (socketOptions.timeout: connect/handshake timeout, none by default)',
};
