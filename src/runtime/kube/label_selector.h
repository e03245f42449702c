// Kubernetes label selectors: the text form the API server takes in ?labelSelector= ("a=b,
// c!=d, e in (x,y), f notin (z), g, !h"), the LabelSelector object of manifests
// (matchLabels / matchExpressions), and matching them against an object's labels, as the
// informer's cache does on the client side.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace sp::kube {

class LabelSelector {
 public:
  // Matches everything.
  LabelSelector() = default;

  // Parses the text form; throws sp::Invalid naming the selector and the problem.
  static LabelSelector parse(std::string_view text);
  // Every key equal to its value: "a=b,c=d".
  static LabelSelector from_labels(const std::map<std::string, std::string>& labels);
  // A metav1.LabelSelector object ({"matchLabels":{...},"matchExpressions":[{key,operator,
  // values}]}); null or {} matches everything. Throws sp::Invalid.
  static LabelSelector from_json(const Json& selector);

  // `labels`: an object's metadata.labels (null or absent: no labels).
  bool matches(const Json& labels) const;
  bool empty() const { return requirements_.empty(); }
  // The canonical text form, for ?labelSelector= (url-encode it).
  std::string str() const;

 private:
  enum class Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist };
  struct Requirement {
    std::string key;
    Op op;
    std::vector<std::string> values;
  };
  std::vector<Requirement> requirements_;
};

}  // namespace sp::kube
