import axios, { type AxiosRequestConfig, type AxiosResponse } from 'axios';
import CircuitBreaker from 'opossum';
import { correlationHeaders } from '@shop/common';
import { config } from '../config.js';
import { downstreamLimit } from './limits.js';

const http = axios.create({
  baseURL: config.inventory.url,
  timeout: config.http.timeoutMs,
});

// One breaker for everything this service asks inventory.
const breaker = new CircuitBreaker((request: AxiosRequestConfig): Promise<AxiosResponse> => http.request(request), {
  errorThresholdPercentage: 50,
  resetTimeout: 10_000,
});

export interface Availability {
  sku: string;
  available: number;
}

export async function getAvailability(sku: string): Promise<Availability> {
  const response = await breaker.fire({ method: 'GET', url: `/stock/${encodeURIComponent(sku)}` });
  return response.data;
}

export async function reserveStock(orderId: string, items: Array<{ sku: string; quantity: number }>): Promise<void> {
  await downstreamLimit(() =>
    breaker.fire({ method: 'POST', url: '/reservations', data: { orderId, items }, headers: correlationHeaders() }),
  );
}
