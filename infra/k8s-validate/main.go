// Command k8s-validate strictly decodes every object of a rendered manifest stream
// (stdin, documents separated by "---") into the Go type its apiVersion and kind name:
// an unknown field, a wrong type or an unknown kind is an error. Strimzi publishes no
// Go types, so its KafkaTopic and KafkaUser are checked against the small shapes in
// strimzi.go. Exit status 1 lists every problem found.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

type typeMeta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
}

func main() {
	problems, count, err := validate(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for _, problem := range problems {
		fmt.Println(problem)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
	fmt.Printf("%d objects valid\n", count)
}

func validate(input io.Reader) ([]string, int, error) {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(input))
	var problems []string
	count := 0
	for {
		document, err := reader.Read()
		if err == io.EOF {
			return problems, count, nil
		}
		if err != nil {
			return nil, count, err
		}
		if len(bytes.TrimSpace(document)) == 0 || strings.TrimSpace(string(document)) == "null" {
			continue
		}
		count++
		var meta typeMeta
		if err := yaml.Unmarshal(document, &meta); err != nil {
			problems = append(problems, fmt.Sprintf("document %d: %v", count, err))
			continue
		}
		if err := decodeStrict(meta, document); err != nil {
			problems = append(problems, fmt.Sprintf("%s %s (%s): %v", meta.Kind, meta.Metadata.Name, meta.APIVersion, err))
		}
	}
}

func decodeStrict(meta typeMeta, document []byte) error {
	gv, err := schema.ParseGroupVersion(meta.APIVersion)
	if err != nil {
		return err
	}
	object, err := newObject(gv.WithKind(meta.Kind))
	if err != nil {
		return err
	}
	return yaml.UnmarshalStrict(document, object)
}
