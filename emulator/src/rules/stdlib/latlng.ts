import { isKind, type RulesLatLng } from "../types/value.js";
import { entry, invalidArgument, isNumber, type MethodTable, noOverload, toFloat } from "./overload.js";

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
function distance(a: RulesLatLng, b: RulesLatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

// biome-ignore format: one overload per line reads as a table
export const LATLNG_METHODS: MethodTable<RulesLatLng> = {
  latitude:  entry(0, (p) => p.lat),
  longitude: entry(0, (p) => p.lng),
  distance:  entry(1, (p, [o], c) =>
    isKind(o, "latlng") ? distance(p, o) : noOverload(c, "distance", [o!])),
};

// biome-ignore format: one overload per line reads as a table
export const LATLNG_FUNCTIONS: MethodTable<null> = {
  "latlng.value": entry(2, (_, [lat, lng], c) => {
    if (!isNumber(lat!) || !isNumber(lng!)) return noOverload(c, "latlng.value", [lat!, lng!]);
    const la = toFloat(lat);
    const ln = toFloat(lng);
    if (Math.abs(la) > 90 || Math.abs(ln) > 180) return invalidArgument(c, "Latitude must be in [-90, 90] and longitude in [-180, 180].");
    return { type: "latlng", lat: la, lng: ln };
  }),
};
