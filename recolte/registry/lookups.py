"""`__in` on integer columns drops values the column cannot hold, as Django's `exact` does.

Django (since 5.0) turns an out-of-range `exact` on an integer field into an empty result, but
not `in`: a form's ModelMultipleChoiceField posted "99999999999999999999" reached the driver,
which raised OverflowError (SQLite) or DataError (PostgreSQL): a 500 instead of a form error.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                v
                for v in self.rhs
                if not isinstance(v, int)
                or ((low is None or v >= low) and (high is None or v <= high))
            ]
        return super().process_rhs(compiler, connection)
