// Compiles only while the generated types (src/patron.d.ts) describe what this code sends and reads.
import type { components, paths } from "./patron";

type PurchaseCreate = components["schemas"]["PurchaseCreate"];
type Recorded = paths["/api/v1/purchases"]["post"]["responses"][201]["content"]["application/json"];
type SignIn = paths["/api/v1/auth/sign-in"]["post"]["requestBody"]["content"]["application/json"];

export const signIn: SignIn = { email: "buyer@example.com", password: "their password" };
export const purchase: PurchaseCreate = { lines: [{ product_id: 7, quantity: 2 }] };
export function total(recorded: Recorded): string {
  return recorded.base_total;
}
