import axios from 'axios';
import { config } from '../config.js';

// ParcelPost: shipping rates and tracking.
export const carrier = axios.create({
  baseURL: config.carrier.url,
  headers: { 'x-api-key': config.carrier.apiKey },
});
