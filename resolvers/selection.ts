/** What a client selected under a field, for services that can skip work nobody asked for. */
import { Kind, type GraphQLResolveInfo } from "graphql";

/**
 * Whether `name` is selected directly under the resolved field. A selection through fragments is
 * taken to want it (reading them would cost more than the work it saves).
 */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((node) =>
    (node.selectionSet?.selections ?? []).some((s) => s.kind !== Kind.FIELD || s.name.value === name),
  );
}
