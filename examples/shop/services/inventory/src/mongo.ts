import { MongoClient } from 'mongodb';
import { config } from './config';

export interface StockItem {
  _id: string; // the SKU
  available: number;
  reserved: number;
  warehouse: string;
  updatedAt: Date;
}

export interface Reservation {
  _id: string; // the order id
  items: Array<{ sku: string; quantity: number }>;
  expiresAt: Date;
}

export const mongo = new MongoClient(config.mongoUrl, {
  maxPoolSize: 20,
  serverSelectionTimeoutMS: 5_000,
});

const db = mongo.db('inventory');
export const stock = db.collection<StockItem>('stock');
export const reservations = db.collection<Reservation>('reservations');
