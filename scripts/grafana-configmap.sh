#!/usr/bin/env bash
# Writes k8s/grafana-dashboard-configmap.yaml from k8s/grafana-dashboard.json: the JSON verbatim in a ConfigMap that
# the Grafana sidecar picks up by its label. GrafanaDashboardTest fails while the two differ.
set -euo pipefail

case "${1:-}" in
    -h | --help)
        echo "Usage: scripts/grafana-configmap.sh   (after editing k8s/grafana-dashboard.json)"
        exit 0
        ;;
    "") ;;
    *) echo "Usage: scripts/grafana-configmap.sh" >&2; exit 2 ;;
esac
k8s_dir=$(cd "$(dirname "$0")/../k8s" && pwd)
{
    cat <<'HEADER'
# The ShardSync Grafana dashboard (k8s/grafana-dashboard.json) as a ConfigMap for the Grafana sidecar
# (kube-prometheus-stack: grafana.sidecar.dashboards.enabled, which loads ConfigMaps labelled grafana_dashboard).
# Generated: the data is the JSON file verbatim (GrafanaDashboardTest checks it). After editing the JSON, run
#   scripts/grafana-configmap.sh
apiVersion: v1
kind: ConfigMap
metadata:
  name: shardsync-grafana-dashboard
  labels:
    app.kubernetes.io/name: shardsync
    grafana_dashboard: "1"
data:
  shardsync.json: |
HEADER
    # Block scalar: every line indented by four, empty lines left empty.
    sed -e 's/^\(.\)/    \1/' "$k8s_dir/grafana-dashboard.json"
} >"$k8s_dir/grafana-dashboard-configmap.yaml"
echo "wrote k8s/grafana-dashboard-configmap.yaml"
