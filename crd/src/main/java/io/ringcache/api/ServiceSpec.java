package io.ringcache.api;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** How clients reach the cache: the client Service with ports {@code http} (8080) and {@code resp} (6379). */
@ValidationRule(value = "self.type != 'ClusterIP' || (!has(self.httpNodePort) && !has(self.respNodePort))",
    message = "a ClusterIP service has no node ports: remove httpNodePort and respNodePort or use NodePort")
@ValidationRule(value = "!has(self.httpNodePort) || !has(self.respNodePort) || self.httpNodePort != self.respNodePort",
    message = "httpNodePort and respNodePort must differ")
public class ServiceSpec {

    @Default("NodePort")
    private ServiceType type = ServiceType.NODE_PORT;

    /** Pins the HTTP node port; Kubernetes allocates one when absent. */
    @ValidationRule(value = "self >= 30000 && self <= 32767",
        message = "httpNodePort must be within the node port range 30000-32767")
    private Integer httpNodePort;

    /** Pins the RESP node port; Kubernetes allocates one when absent. */
    @ValidationRule(value = "self >= 30000 && self <= 32767",
        message = "respNodePort must be within the node port range 30000-32767")
    private Integer respNodePort;

    /** Annotations of the client Service, e.g. for a cloud load balancer. */
    private Map<String, String> annotations;

    public ServiceType getType() {
        return type;
    }

    public void setType(ServiceType type) {
        this.type = type;
    }

    public Integer getHttpNodePort() {
        return httpNodePort;
    }

    public void setHttpNodePort(Integer httpNodePort) {
        this.httpNodePort = httpNodePort;
    }

    public Integer getRespNodePort() {
        return respNodePort;
    }

    public void setRespNodePort(Integer respNodePort) {
        this.respNodePort = respNodePort;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }
}
