package main

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Strimzi ships CRDs but no Go types: these are the fields the manifests use, so a
// misspelt or misplaced field still fails. Anything else Strimzi accepts is refused
// here on purpose; add it when a manifest needs it.
const strimziGroup = "kafka.strimzi.io"

type kafkaTopic struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   metav1.ObjectMeta `json:"metadata"`
	Spec       struct {
		TopicName  string            `json:"topicName,omitempty"`
		Partitions int32             `json:"partitions"`
		Replicas   int32             `json:"replicas"`
		Config     map[string]string `json:"config,omitempty"`
	} `json:"spec"`
}

type kafkaUser struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   metav1.ObjectMeta `json:"metadata"`
	Spec       struct {
		Authentication struct {
			Type string `json:"type"`
		} `json:"authentication"`
		Authorization *struct {
			Type string `json:"type"`
			Acls []struct {
				Resource struct {
					Type        string `json:"type"`
					Name        string `json:"name"`
					PatternType string `json:"patternType,omitempty"`
				} `json:"resource"`
				Operations []string `json:"operations"`
				Host       string   `json:"host,omitempty"`
			} `json:"acls"`
		} `json:"authorization,omitempty"`
	} `json:"spec"`
}

func newStrimziObject(gvk schema.GroupVersionKind) (any, error) {
	if gvk.Version != "v1beta2" {
		return nil, fmt.Errorf("Strimzi %s: only v1beta2 is checked", gvk.Kind)
	}
	switch gvk.Kind {
	case "KafkaTopic":
		return &kafkaTopic{}, nil
	case "KafkaUser":
		return &kafkaUser{}, nil
	}
	return nil, fmt.Errorf("no known shape for Strimzi %s", gvk.Kind)
}
