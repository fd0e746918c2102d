package main

import (
	"fmt"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// scheme knows the built-in API groups the manifests use and the Prometheus Operator's.
// Only these versions are accepted: they set the minimum Kubernetes version (docs/deploy-kubernetes.md).
var scheme = func() *runtime.Scheme {
	built := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme,
		appsv1.AddToScheme,
		autoscalingv2.AddToScheme,
		policyv1.AddToScheme,
		networkingv1.AddToScheme,
		monitoringv1.AddToScheme,
	} {
		if err := add(built); err != nil {
			panic(err)
		}
	}
	return built
}()

func newObject(gvk schema.GroupVersionKind) (any, error) {
	if gvk.Group == strimziGroup {
		return newStrimziObject(gvk)
	}
	object, err := scheme.New(gvk)
	if err != nil {
		return nil, fmt.Errorf("no known type for %s", gvk)
	}
	return object, nil
}
