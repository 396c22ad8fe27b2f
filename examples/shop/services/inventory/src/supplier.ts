import got from 'got';
import { config } from './config';

export const supplier = got.extend({
  prefixUrl: config.supplier.url,
  headers: { authorization: `Bearer ${config.supplier.apiKey}` },
  timeout: { request: 5_000 },
  retry: { limit: 2 },
});

export interface SupplierOffer {
  sku: string;
  unitCostCents: number;
  leadTimeDays: number;
}

export function supplierOffer(sku: string): Promise<SupplierOffer> {
  return supplier.get(`offers/${encodeURIComponent(sku)}`).json<SupplierOffer>();
}
