export * from './correlation';
export * from './rpc';
