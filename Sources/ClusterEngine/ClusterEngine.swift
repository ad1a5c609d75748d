// ClusterEngine
