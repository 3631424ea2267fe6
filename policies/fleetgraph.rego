# An example policy for Fleetgraph's OPA policy source (docs/security.md, "Policy as code (OPA)").
# Rego v1 (OPA 1.0); `import rego.v1` keeps it loadable by OPA 0.59 and later too.
#
# Entry points, queried as POST /v1/data/fleetgraph/scope and /v1/data/fleetgraph/allow:
#   scope  input {subject}                              -> {"everything": true} or {"grants": [...]}
#   allow  input {subject, action, resource, request}   -> {"allowed": bool, "reason": string}
#
# The data it reads (policies/fleetgraph.data.json is an example; load both with
# `opa run --server policies/`):
#   data.inventory.clusters[cluster].labels
#   data.inventory.namespaces[cluster][namespace].labels
#   data.teams[team] = {"groups": [...], "namespaces": {cluster: [namespace, ...]}}
package fleetgraph

import rego.v1

platform_admin if "platform-admins" in input.subject.groups

sre if "sre" in input.subject.groups

production_clusters contains name if {
	some name, cluster in data.inventory.clusters
	cluster.labels.env == "prod"
}

member_teams contains name if {
	some name, team in data.teams
	some group in team.groups
	group in input.subject.groups
}

protected(cluster, namespace) if data.inventory.namespaces[cluster][namespace].labels.protected == "true"

# ---- scope: what the subject may read ------------------------------------------------------------

scope := {"everything": true} if platform_admin

scope := {"grants": grants} if not platform_admin

grants := (sre_grants | team_grants) | support_grants

# SREs read every namespace of the production clusters, and their nodes, volumes and storage classes.
sre_grants contains {"cluster": name, "namespaces": "*", "clusterKinds": "*"} if {
	sre
	some name in production_clusters
}

# A team's members read the team's namespaces, cluster by cluster.
team_grants contains {"cluster": cluster, "namespaces": namespaces} if {
	some team in member_teams
	some cluster, namespaces in data.teams[team].namespaces
}

# Support engineers read pods and events in every namespace, to answer tickets; nothing else.
support_grants contains {"cluster": "*", "namespaces": "*", "kinds": ["Pod", "Event"]} if {
	"support" in input.subject.groups
}

# ---- allow: whether one action on one resource is allowed ----------------------------------------

read_actions := {"get", "list", "watch"}

default allow := {"allowed": false, "reason": "no rule of package fleetgraph allows this action"}

# A denial wins over every permission, platform admins' included: unlabel the namespace first.
allow := {"allowed": false, "reason": concat("; ", sort(deny))} if {
	count(deny) > 0
} else := {"allowed": true} if {
	permitted
}

deny contains msg if {
	input.action == "delete"
	protected(input.resource.cluster, input.resource.namespace)
	msg := sprintf("namespace %s in cluster %s is protected: nothing in it may be deleted", [
		input.resource.namespace,
		input.resource.cluster,
	])
}

deny contains msg if {
	input.action == "delete"
	input.resource.kind == "Namespace"
	protected(input.resource.cluster, input.resource.name)
	msg := sprintf("namespace %s in cluster %s is protected and cannot be deleted", [
		input.resource.name,
		input.resource.cluster,
	])
}

permitted if platform_admin

# Team members may do anything in their team's namespaces.
permitted if {
	some team in member_teams
	input.resource.namespace in data.teams[team].namespaces[input.resource.cluster]
}

# SREs may read anything on production clusters, and delete pods there (a restart).
permitted if {
	sre
	input.resource.cluster in production_clusters
	input.action in read_actions
}

permitted if {
	sre
	input.resource.cluster in production_clusters
	input.action == "delete"
	input.resource.kind == "Pod"
}
