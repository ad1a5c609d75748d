import ClusterCore
print(Assets.paths(under: "assets"))
